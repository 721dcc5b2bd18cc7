package org.escadrille.server.portal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.TaskView;

/**
 * What the execution page shows and refreshes while the execution runs: its status and progress, the
 * timeline of its attempts, its tasks, resource use, outputs and their plots.
 */
record ExecutionDetails(ExecutionView execution, List<TaskView> tasks, TimelineChart timeline, List<CsvPlot> plots,
                        Instant now) {

    static ExecutionDetails of(ExecutionView execution, List<TaskView> tasks, List<CsvPlot> plots) {
        Instant now = Instant.now();
        return new ExecutionDetails(execution, tasks, TimelineChart.of(tasks, now), plots, now);
    }

    /**
     * Whether the page should keep refreshing: while the execution runs, and after a kill until the
     * pilots have ended its attempts (their bars and rows then show how they ended).
     */
    public boolean live() {
        return running() || tasks.stream().flatMap(task -> task.attempts().stream())
                .anyMatch(attempt -> attempt.endedAt() == null);
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

    /** The largest resident memory any attempt reached, in KiB; null when none reported it. */
    public Long peakRssKb() {
        return tasks.stream().flatMap(task -> task.attempts().stream()).map(TaskView.AttemptView::peakRssKb)
                .filter(Objects::nonNull).max(Long::compare).orElse(null);
    }

    /** The attempt whose figures a task's row shows: its latest. */
    public TaskView.AttemptView latest(TaskView task) {
        return task.attempts().isEmpty() ? null : task.attempts().getLast();
    }
}
