package org.escadrille.cli.terminal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.escadrille.cli.api.Attempt;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.Task;
import org.escadrille.cli.api.TaskCounts;
import tools.jackson.databind.JsonNode;

/** One execution in detail, as {@code escadrille status ID} prints it: its fields, then a table of its tasks. */
public final class ExecutionReport {
    private static final List<String> TASK_HEADERS =
            List.of("#", "TASK", "LABEL", "STATUS", "TRIES", "HOST", "EXIT", "WALL");

    private ExecutionReport() {
    }

    public static String render(Execution execution, List<Task> tasks, Clock clock) {
        List<List<String>> fields = new ArrayList<>();
        fields.add(List.of("Execution", execution.id()));
        fields.add(List.of("Name", ExecutionTable.orDash(execution.name())));
        fields.add(List.of("App", ExecutionTable.appWithVersion(execution.app(), execution.appVersion())));
        fields.add(List.of("Status", ExecutionTable.orDash(execution.status())));
        fields.add(List.of("Inputs", inputs(execution.inputs())));
        fields.add(List.of("Created", ExecutionTable.localTime(execution.createdAt(), clock)));
        fields.add(List.of("Ended", ExecutionTable.localTime(execution.endedAt(), clock)));
        Duration age = execution.age(clock.instant());
        fields.add(List.of("Duration", age == null ? "-" : HumanUnits.duration(age)));
        fields.add(List.of("Tasks", taskSummary(execution.tasks())));
        if (execution.cpuSeconds() != null) {
            fields.add(List.of("CPU", HumanUnits.cpuSeconds(execution.cpuSeconds())));
        }
        if (execution.footprint() != null) {
            var footprint = execution.footprint();
            fields.add(List.of("Footprint", HumanUnits.footprint(footprint.energyWh(), footprint.carbonGrams())
                    + String.format(Locale.ROOT, " (≈ %s km by car), %.1f %% wasted",
                    HumanUnits.significant(footprint.carKm()), footprint.wastedShare() * 100)));
        }
        var cached = tasks.stream().filter(Task::cached).toList();
        if (!cached.isEmpty()) {
            double wh = cached.stream().filter(task -> task.saved() != null).mapToDouble(task -> task.saved().energyWh()).sum();
            double grams = cached.stream().filter(task -> task.saved() != null).mapToDouble(task -> task.saved().carbonGrams()).sum();
            fields.add(List.of("Cached", HumanUnits.count(cached.size(), "task") + " not run (outputs reused), saved "
                    + HumanUnits.footprint(wh, grams)));
        }
        fields.add(List.of("Outputs", ExecutionTable.orDash(execution.outputDir())
                + (execution.outputs().isEmpty() ? "" : " (" + HumanUnits.count(execution.outputs().size(), "file") + ")")));
        if (execution.error() != null && !execution.error().isBlank()) {
            fields.add(List.of("Error", execution.error()));
        }
        if (execution.resultsDeletedAt() != null) {
            fields.add(List.of("Deletion", "with its results on " + ExecutionTable.localTime(execution.resultsDeletedAt(), clock)
                    + " (the server's retention period)"));
        }
        String header = Table.rows(fields);
        if (tasks.isEmpty()) {
            return header;
        }
        List<List<String>> rows = tasks.stream().map(ExecutionReport::taskRow).toList();
        return header + "\n" + Table.render(TASK_HEADERS, rows);
    }

    static String taskSummary(TaskCounts tasks) {
        return tasks.done() + "/" + tasks.total() + " done: " + tasks.succeeded() + " succeeded, "
                + tasks.running() + " running, " + tasks.queued() + " queued, " + tasks.failed() + " failed, "
                + tasks.cancelled() + " cancelled";
    }

    static String inputs(JsonNode inputs) {
        if (inputs == null || !inputs.isObject() || inputs.isEmpty()) {
            return "-";
        }
        return inputs.properties().stream()
                .map(Map.Entry::getKey)
                .map(id -> id + "=" + display(inputs.get(id)))
                .collect(Collectors.joining(" "));
    }

    private static String display(JsonNode value) {
        return value.isString() ? value.asString() : value.toString();
    }

    private static List<String> taskRow(Task task) {
        Attempt last = task.lastAttempt();
        return List.of(
                String.valueOf(task.index()),
                ExecutionTable.orDash(task.id()),
                ExecutionTable.orDash(task.label()),
                ExecutionTable.orDash(task.status()) + (task.cached() ? " (cached)" : task.reusedFrom() == null ? "" : " (reused)"),
                String.valueOf(task.attempts().size()),
                last == null ? "-" : ExecutionTable.orDash(last.host()),
                last == null || last.exitCode() == null ? "-" : String.valueOf(last.exitCode()),
                last == null || last.wallSeconds() == null
                        ? "-"
                        : HumanUnits.duration(Duration.ofMillis((long) (last.wallSeconds() * 1000))));
    }
}
