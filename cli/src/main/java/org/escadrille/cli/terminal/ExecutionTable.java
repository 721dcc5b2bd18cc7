package org.escadrille.cli.terminal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.TaskCounts;

/** The list of executions that {@code escadrille status} prints, one row each, newest first as the server sends them. */
public final class ExecutionTable {
    private static final List<String> HEADERS =
            List.of("ID", "NAME", "APP", "STATUS", "TASKS", "CREATED", "DURATION");
    static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private ExecutionTable() {
    }

    /** Times in the clock's zone, durations up to the clock's now for executions still running. */
    public static String render(List<Execution> executions, Clock clock) {
        List<List<String>> rows = executions.stream().map(execution -> row(execution, clock)).toList();
        return Table.render(HEADERS, rows);
    }

    private static List<String> row(Execution execution, Clock clock) {
        Duration age = execution.age(clock.instant());
        return List.of(
                execution.id(),
                orDash(execution.name()),
                appWithVersion(execution.app(), execution.appVersion()),
                orDash(execution.status()),
                taskCell(execution.tasks()),
                localTime(execution.createdAt(), clock),
                age == null ? "-" : HumanUnits.duration(age));
    }

    static String taskCell(TaskCounts tasks) {
        String cell = tasks.done() + "/" + tasks.total();
        return tasks.failed() > 0 ? cell + " (" + tasks.failed() + " failed)" : cell;
    }

    static String appWithVersion(String app, String version) {
        if (app == null) {
            return "-";
        }
        return version == null || version.isBlank() ? app : app + " " + version;
    }

    static String localTime(Instant instant, Clock clock) {
        return instant == null ? "-" : CREATED.format(instant.atZone(clock.getZone()));
    }

    static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
