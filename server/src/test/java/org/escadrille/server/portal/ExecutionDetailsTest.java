package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.escadrille.server.execution.ExecutionStatus;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.TaskView;
import org.junit.jupiter.api.Test;

class ExecutionDetailsTest {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private static ExecutionDetails details(double endedCpuSeconds, TaskView... tasks) {
        var execution = new ExecutionView("e1", "run", "pi", "1.0", "digest", "alice", ExecutionStatus.Running, T0, T0,
                null, null, "cross", "executions/e1", new ExecutionView.TaskCounts(tasks.length, 0, 1, 0, 0, 0),
                endedCpuSeconds, 0, null, List.of(), null);
        return ExecutionDetails.of(execution, List.of(tasks), Map.of(), List.of(), List.of(), T0.plusSeconds(3_600));
    }

    private static TaskView task(int index, String label, TaskView.AttemptView... attempts) {
        return new TaskView("t" + index, index, label, "RUNNING", "cmd", List.of(attempts));
    }

    private static TaskView.AttemptView attempt(String status, Instant end, Double cpuSeconds) {
        return new TaskView.AttemptView("a" + cpuSeconds, "p1", "host", status, T0, T0, end, null, cpuSeconds, null,
                null, null, null);
    }

    @Test
    void aMonteCarloTaskIsNamedByItsPlaceAndItsSeed() {
        var details = details(0, task(0, "task-0-seed-42"), task(3, "task-3-seed-12"));

        assertThat(details.label(details.tasks().get(1))).isEqualTo("seed 12");
        assertThat(details.title(details.tasks().get(1))).isEqualTo("task 4 of 2 — seed 12");
    }

    @Test
    void aSweepPointIsNamedByItsValues() {
        var details = details(0, task(0, "events=1000_seed=3"), task(1, "events=2000_seed=3"));

        assertThat(details.label(details.tasks().getFirst())).isEqualTo("events = 1000, seed = 3");
        assertThat(details.title(details.tasks().getFirst())).isEqualTo("task 1 of 2 — events = 1000, seed = 3");
    }

    @Test
    void theOnlyTaskOfAnExecutionNeedsNoNumber() {
        var details = details(0, task(0, "task"));

        assertThat(details.title(details.tasks().getFirst())).isEqualTo("the only task");
    }

    @Test
    void cpuTimeCountsWhatRunningAttemptsUsedSoFar() {
        var details = details(2.0,
                task(0, "task-0-seed-1", attempt("SUCCEEDED", T0.plusSeconds(5), 2.0)),
                task(1, "task-1-seed-2", attempt("RUNNING", null, 1.5)));

        assertThat(details.cpuSeconds()).isEqualTo(3.5);
    }

    @Test
    void wallTimeCountsHowLongRunningAttemptsHaveRunSoFar() {
        var details = details(0, task(0, "task-0-seed-1", attempt("RUNNING", null, 1.0)));

        assertThat(details.wallSeconds()).isCloseTo(Duration.between(T0, details.now()).toMillis() / 1000.0, within(0.01));
    }
}
