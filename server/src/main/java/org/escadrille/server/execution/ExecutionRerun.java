package org.escadrille.server.execution;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ConflictException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.scheduling.ReusedTask;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.scheduling.TaskDefinition;
import org.escadrille.server.scheduling.TaskQueries;
import org.escadrille.server.scheduling.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Re-runs an execution: the same application version, inputs and sweep. Re-running only what failed
 * (the request users of every gateway make most) copies the outputs of the tasks that succeeded into
 * the new execution's folder and marks those tasks reused; only the failed and cancelled ones run.
 */
@Service
public class ExecutionRerun {
    private static final Logger log = LoggerFactory.getLogger(ExecutionRerun.class);

    private final ExecutionService executions;
    private final ExecutionRepository repository;
    private final TaskQueries tasks;
    private final OutputCopies copies;
    private final Scheduler scheduler;

    ExecutionRerun(ExecutionService executions, ExecutionRepository repository, TaskQueries tasks, OutputCopies copies,
                   Scheduler scheduler) {
        this.executions = executions;
        this.repository = repository;
        this.tasks = tasks;
        this.copies = copies;
        this.scheduler = scheduler;
    }

    /**
     * Launches the caller's execution {@code id} again; with {@code onlyFailed}, its succeeded tasks are
     * reused rather than run.
     *
     * @throws ConflictException when only what failed is asked of a run that has not ended, of a
     *                           Monte-Carlo run, or of one where nothing failed
     */
    public ExecutionView rerun(Account caller, String id, boolean onlyFailed) {
        var earlier = executions.view(caller, id);
        var inputs = new LinkedHashMap<String, JsonNode>();
        earlier.inputs().properties().forEach(entry -> inputs.put(entry.getKey(), entry.getValue()));
        String split = earlier.monteCarlo() == null ? null : earlier.monteCarlo().split();
        // Running a whole execution again is asked to run it, not to find it in the task cache.
        var request = new LaunchRequest(earlier.app(), earlier.appVersion(), earlier.name(), inputs, earlier.iterate(),
                split, null, null, null, onlyFailed ? null : false);
        if (!onlyFailed) {
            return executions.launch(caller, request);
        }
        if (!earlier.status().isTerminal()) {
            throw new ConflictException("execution " + id + " is still " + earlier.status()
                    + ": re-run what failed once it has ended (or kill it first)");
        }
        if (earlier.monteCarlo() != null) {
            throw new ConflictException("execution " + id + " is a Monte-Carlo run, whose tasks make up for each other:"
                    + " run it again whole, or replay it (\"replay\": \"" + id + "\")");
        }
        var succeeded = new HashMap<Integer, TaskView>();
        repository.tasks(id).stream().filter(task -> TaskStatus.valueOf(task.status()).isSuccess())
                .forEach(task -> succeeded.put(task.index(), task));
        if (earlier.tasks().total() == 0) {
            throw new ConflictException("execution " + id + " has no task (" + earlier.status() + "): run it again whole"
                    + " without failed=true");
        }
        if (succeeded.size() == earlier.tasks().total()) {
            throw new ConflictException("every task of execution " + id + " succeeded: there is nothing to re-run"
                    + " (run it again whole without failed=true)");
        }
        var outputs = new HashMap<String, List<TaskQueries.SuccessfulOutput>>();
        tasks.successfulOutputs(id).forEach(output -> outputs.computeIfAbsent(output.taskId(), k -> new ArrayList<>())
                .add(output));
        var rerun = executions.launch(caller, request, planned -> reuse(caller, planned, succeeded, outputs));
        log.info("execution {} re-runs what failed in {}", rerun.id(), id);
        return rerun;
    }

    /** Records the planned tasks that succeeded before as reused (their outputs copied); answers the others. */
    private List<TaskDefinition> reuse(Account owner, List<TaskDefinition> planned, Map<Integer, TaskView> succeeded,
                                       Map<String, List<TaskQueries.SuccessfulOutput>> outputs) {
        var toRun = new ArrayList<TaskDefinition>();
        var reused = new ArrayList<ReusedTask>();
        for (TaskDefinition task : planned) {
            var before = succeeded.get(task.index());
            // The same plan gives the same tasks in the same order; a label that differs is another task.
            if (before == null || !before.label().equals(task.label())) {
                toRun.add(task);
                continue;
            }
            try {
                reused.add(new ReusedTask(task, before.id(), copies.copy(owner, task, outputs.getOrDefault(before.id(), List.of()))));
            } catch (NotFoundException | UncheckedIOException e) {
                // An output the user has deleted since, or that cannot be copied: the task runs again instead
                // (the execution exists already, and must not be left without its task).
                log.info("task {} of execution {} runs again: its earlier outputs cannot be reused ({})", task.index(),
                        task.executionId(), e.getMessage());
                toRun.add(task);
            }
        }
        scheduler.recordReused(reused);
        return toRun;
    }
}
