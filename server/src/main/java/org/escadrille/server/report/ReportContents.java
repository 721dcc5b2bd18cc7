package org.escadrille.server.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.escadrille.server.chart.TimelineChart;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.TaskView;
import org.escadrille.server.footprint.Footprint;

/**
 * What {@code templates/report.html} writes: the execution, its tasks with what they used and where,
 * the timeline and resource charts, the input files and parameters, the text of merged results, and
 * when it was taken ({@code snapshot}: while the execution still ran, so its figures will change).
 */
public record ReportContents(ExecutionView execution, List<TaskRow> tasks, TimelineChart timeline,
                             List<ResourceChart> charts, List<InputFile> inputFiles, List<Parameter> parameters,
                             List<MergedResult> mergedResults, Instant takenAt, boolean snapshot) {

    /**
     * A task and what its attempts used: CPU and wall time summed over them, the largest peak memory, the
     * energy and carbon of those that ended (their {@code footprint}, without equivalents), and where its
     * latest attempt ran.
     */
    public record TaskRow(int number, String label, String status, int attempts, String reusedFrom, String host,
                          String site, double cpuSeconds, double wallSeconds, Long peakRssKb, Footprint footprint,
                          String commandLine) {
    }

    /** A file given as an input: which input, its path in the owner's space, and its size and SHA-256 at launch. */
    public record InputFile(String input, String path, Long size, String sha256) {
    }

    /** An input's value as the invocation gave it (JSON: a list is a sweep). */
    public record Parameter(String name, String value) {
    }

    /** The beginning of a Monte-Carlo run's merged result, as text. */
    public record MergedResult(String path, String text, boolean cut) {
    }

    static ReportContents of(ExecutionView execution, List<TaskView> tasks, Map<String, Integer> pilotSlots,
                             Map<String, String> sites, List<InputFile> inputFiles, List<MergedResult> merged,
                             Instant now) {
        var rows = tasks.stream().map(task -> row(task, sites, now)).toList();
        var charts = List.of(
                ResourceChart.of("cpu-chart", "CPU time", false, rows, ReportContents::chartLabel, TaskRow::cpuSeconds),
                ResourceChart.of("wall-chart", "Wall time", false, rows, ReportContents::chartLabel, TaskRow::wallSeconds),
                ResourceChart.of("memory-chart", "Peak memory", true, rows, ReportContents::chartLabel,
                        row -> row.peakRssKb() == null ? 0 : row.peakRssKb()));
        var parameters = execution.inputs() == null ? List.<Parameter>of() : execution.inputs().properties().stream()
                .map(entry -> new Parameter(entry.getKey(), entry.getValue().isString() ? entry.getValue().asString()
                        : entry.getValue().toString()))
                .toList();
        return new ReportContents(execution, rows, TimelineChart.of(tasks, pilotSlots, now, TimelineChart.WIDE), charts,
                inputFiles, parameters, merged, now, !execution.status().isTerminal());
    }

    /** "3 seed=12": its number, and its label cut to fit the chart's column. */
    private static String chartLabel(TaskRow row) {
        String text = row.number() + " " + row.label();
        return text.length() <= 30 ? text : text.substring(0, 29) + "…";
    }

    private static TaskRow row(TaskView task, Map<String, String> sites, Instant now) {
        var attempts = task.attempts();
        double cpu = attempts.stream().map(TaskView.AttemptView::cpuSeconds).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).sum();
        double wall = attempts.stream().mapToDouble(attempt -> wallSeconds(attempt, now)).sum();
        Long peak = attempts.stream().map(TaskView.AttemptView::peakRssKb).filter(Objects::nonNull).max(Long::compare)
                .orElse(null);
        var ended = attempts.stream().map(TaskView.AttemptView::footprint).filter(Objects::nonNull).toList();
        var footprint = new Footprint(ended.stream().mapToDouble(Footprint.OfAttempt::energyWh).sum(),
                ended.stream().mapToDouble(Footprint.OfAttempt::carbonGrams).sum(), 0, 0, 0, ended.size());
        var latest = attempts.isEmpty() ? null : attempts.getLast();
        String site = latest == null || latest.pilotId() == null ? null : sites.get(latest.pilotId());
        return new TaskRow(task.index() + 1, task.label(), task.status(), attempts.size(), task.reusedFrom(),
                latest == null ? null : latest.host(), site, cpu, wall, peak, footprint, task.commandLine());
    }

    /** As its pilot measured it once ended; while it runs, the time since it started. */
    private static double wallSeconds(TaskView.AttemptView attempt, Instant now) {
        if (attempt.wallSeconds() != null) {
            return attempt.wallSeconds();
        }
        if (attempt.startedAt() == null) {
            return 0;
        }
        Instant end = attempt.endedAt() != null ? attempt.endedAt() : now;
        return Math.max(0, Duration.between(attempt.startedAt(), end).toMillis() / 1000.0);
    }
}
