package org.escadrille.server.execution;

import java.time.Clock;
import org.escadrille.server.montecarlo.MonteCarloRuns;
import org.escadrille.server.scheduling.TaskLifecycleListener;
import org.springframework.beans.factory.ObjectProvider;
import org.escadrille.server.scheduling.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Moves executions along as their tasks start and end: Running at the first start; when no task is
 * left to run, Finished if every task succeeded, else ExecutionFailed with the reason of a failure.
 */
@Component
class ExecutionProgress implements TaskLifecycleListener {
    private static final Logger log = LoggerFactory.getLogger(ExecutionProgress.class);
    private final ExecutionRepository executions;
    private final ObjectProvider<MonteCarloRuns> monteCarlo;
    private final Clock clock;

    // The runs are reached lazily: they need the scheduler, which needs this listener.
    ExecutionProgress(ExecutionRepository executions, ObjectProvider<MonteCarloRuns> monteCarlo, Clock clock) {
        this.executions = executions;
        this.monteCarlo = monteCarlo;
        this.clock = clock;
    }

    @Override
    public void progress(String executionId, String taskId, long events) {
        monteCarlo.getObject().progress(executionId, taskId, events);
    }

    @Override
    public void taskStarted(String executionId) {
        executions.transition(executionId, ExecutionStatus.Running, null, clock.millis());
    }

    @Override
    public void taskEnded(String executionId, String taskId) {
        var runs = monteCarlo.getObject();
        if (runs.isRun(executionId)) {
            concluded(executionId, runs.taskEnded(executionId, taskId));
        } else {
            tasksEnded(executionId);
        }
    }

    /** A task of an execution that is not a Monte-Carlo run ended: it ends too once none is left to run. */
    void tasksEnded(String executionId) {
        if (executions.hasLiveTasks(executionId)) {
            return;
        }
        var counts = executions.taskCounts(executionId);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int failed = counts.getOrDefault(TaskStatus.FAILED.name(), 0) + counts.getOrDefault(TaskStatus.CANCELLED.name(), 0);
        long now = clock.millis();
        if (failed == 0) {
            if (executions.transition(executionId, ExecutionStatus.Finished, null, now)) {
                log.info("execution {} finished: {} task(s)", executionId, total);
            }
        } else {
            String reason = failed + " of " + total + " task(s) failed"
                    + executions.firstFailure(executionId).map(f -> "; " + f).orElse("");
            if (executions.transition(executionId, ExecutionStatus.ExecutionFailed, reason, now)) {
                log.info("execution {} failed: {}", executionId, reason);
            }
        }
    }

    /** Moves a Monte-Carlo execution on as its run says: finished once merged, failed, or not yet. */
    void concluded(String executionId, MonteCarloRuns.Outcome outcome) {
        long now = clock.millis();
        switch (outcome) {
            case MonteCarloRuns.Outcome.Merged merged -> {
                if (executions.transition(executionId, ExecutionStatus.Finished, null, now)) {
                    log.info("execution {} finished: {} events merged", executionId, merged.events());
                }
            }
            case MonteCarloRuns.Outcome.Failed failed -> {
                if (executions.transition(executionId, ExecutionStatus.ExecutionFailed, failed.reason(), now)) {
                    log.info("execution {} failed: {}", executionId, failed.reason());
                }
            }
            case MonteCarloRuns.Outcome.Continue ignored -> {
            }
        }
    }
}
