package org.escadrille.server.portal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.escadrille.server.chart.TimelineChart;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.TaskView;

/**
 * What the execution page shows and refreshes while the execution runs: its status and progress, the
 * timeline of its attempts (drawn for a laptop and for a phone), its tasks, resource use, outputs,
 * their plots and the text of the small ones.
 */
record ExecutionDetails(ExecutionView execution, List<TaskView> tasks, TimelineChart timeline,
                        TimelineChart narrowTimeline, List<CsvPlot> plots, List<OutputPreviews.Preview> previews,
                        Instant now) {
    /** A Monte-Carlo task's label (MonteCarloLaunch): its index and its seed. */
    private static final Pattern MONTE_CARLO_LABEL = Pattern.compile("task-\\d+-seed-(\\d+)");
    /** Between two "name=value" parts of a sweep label: SweepLabels joins them with '_', which it keeps out of both. */
    private static final Pattern SWEEP_SEPARATOR = Pattern.compile("_");

    static ExecutionDetails of(ExecutionView execution, List<TaskView> tasks, Map<String, Integer> pilotSlots,
                               List<CsvPlot> plots, List<OutputPreviews.Preview> previews, Instant now) {
        return new ExecutionDetails(execution, tasks, TimelineChart.of(tasks, pilotSlots, now, TimelineChart.WIDE),
                TimelineChart.of(tasks, pilotSlots, now, TimelineChart.NARROW), plots, previews, now);
    }

    /**
     * What tells a task from its siblings, in words: "seed 12" for a Monte-Carlo task, "events = 1000,
     * seed = 3" for a point of a sweep, "the only task" for an execution of one.
     */
    public String label(TaskView task) {
        var monteCarlo = MONTE_CARLO_LABEL.matcher(task.label());
        if (monteCarlo.matches()) {
            return "seed " + monteCarlo.group(1);
        }
        if (task.label().equals("task")) {
            return tasks.size() == 1 ? "the only task" : "task";
        }
        return String.join(", ", SWEEP_SEPARATOR.split(task.label())).replace("=", " = ");
    }

    /** A task named for a person: "task 3 of 10 — seed 12" (counted from 1). */
    public String title(TaskView task) {
        String position = "task " + (task.index() + 1) + " of " + execution.tasks().total();
        return tasks.size() == 1 ? label(task) : position + " — " + label(task);
    }

    /**
     * CPU seconds of the whole execution: those of its ended attempts, and the latest the pilots relayed
     * for those still running (so that it grows while tasks run, instead of staying at 0).
     */
    public double cpuSeconds() {
        double running = tasks.stream().flatMap(task -> task.attempts().stream())
                .filter(attempt -> attempt.endedAt() == null && attempt.cpuSeconds() != null)
                .mapToDouble(TaskView.AttemptView::cpuSeconds).sum();
        return execution.cpuSeconds() + running;
    }

    /**
     * Whether the page should keep refreshing: while the execution runs, and after a kill until the
     * pilots have ended its attempts (their bars and rows then show how they ended).
     */
    public boolean live() {
        return running() || tasks.stream().flatMap(task -> task.attempts().stream())
                .anyMatch(attempt -> attempt.endedAt() == null);
    }

    /** How many tasks did not run because the task cache found their outputs. */
    public long cached() {
        return tasks.stream().filter(TaskView::cached).count();
    }

    /** The watt-hours that the cached tasks saved: those of the attempts that made their outputs. */
    public double savedWh() {
        return tasks.stream().filter(TaskView::cached).map(TaskView::saved).filter(Objects::nonNull)
                .mapToDouble(saved -> saved.energyWh()).sum();
    }

    /** The grams of CO2e that the cached tasks saved. */
    public double savedGrams() {
        return tasks.stream().filter(TaskView::cached).map(TaskView::saved).filter(Objects::nonNull)
                .mapToDouble(saved -> saved.carbonGrams()).sum();
    }

    /** Whether the execution is still under way (it can be killed, or stopped and merged). */
    public boolean running() {
        return !execution.status().isTerminal();
    }

    /** Tasks that ran to their end; cancelled ones (a kill) are not done, they are counted apart. */
    public int done() {
        var counts = execution.tasks();
        return counts.succeeded() + counts.failed();
    }

    public int percent() {
        int total = execution.tasks().total();
        return total == 0 ? 0 : done() * 100 / total;
    }

    /** How much of a Monte-Carlo run's events are simulated, in percent (at most 100); 0 for other executions. */
    public int eventsPercent() {
        var run = execution.monteCarlo();
        return run == null || run.totalEvents() <= 0 ? 0 : (int) Math.min(100, run.eventsDone() * 100 / run.totalEvents());
    }

    public int attempts() {
        return tasks.stream().mapToInt(task -> task.attempts().size()).sum();
    }

    /** Wall seconds of all attempts: those of the ended ones, and the time so far of those running. */
    public double wallSeconds() {
        double running = tasks.stream().flatMap(task -> task.attempts().stream())
                .filter(attempt -> attempt.endedAt() == null && attempt.startedAt() != null)
                .mapToDouble(attempt -> Math.max(0, Duration.between(attempt.startedAt(), now).toMillis() / 1000.0))
                .sum();
        return execution.wallSeconds() + running;
    }

    /** The largest resident memory any attempt reached, in KiB (0: too short to be sampled); null when none reported it. */
    public Long peakRssKb() {
        return tasks.stream().flatMap(task -> task.attempts().stream()).map(TaskView.AttemptView::peakRssKb)
                .filter(Objects::nonNull).max(Long::compare).orElse(null);
    }

    /** The attempt whose figures a task's row shows: its latest. */
    public TaskView.AttemptView latest(TaskView task) {
        return task.attempts().isEmpty() ? null : task.attempts().getLast();
    }
}
