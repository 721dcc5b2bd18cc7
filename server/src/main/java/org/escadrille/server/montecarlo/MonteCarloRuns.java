package org.escadrille.server.montecarlo;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.account.Account;
import org.escadrille.server.scheduling.TaskDefinition;
import org.escadrille.server.scheduling.PilotRegistry;
import org.escadrille.server.scheduling.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Dynamic Monte-Carlo splitting (DESIGN §5): one task per available slot, each aiming at the whole
 * total with its own seed; the events reported in heartbeats add up, and when they reach the total
 * every running task is told to stop and write its partial result; a task that dies costs only its
 * own events, and slots that free up or join late get new tasks while the total is not reached.
 * When the last task has ended, the partial results are merged.
 */
@Service
public class MonteCarloRuns {
    private static final Logger log = LoggerFactory.getLogger(MonteCarloRuns.class);

    private final MonteCarloRepository repository;
    private final Scheduler scheduler;
    private final MonteCarloTaskSource taskSource;
    private final PartialMerge merge;
    private final Clock clock;
    private final RunTasks tasks;
    private final Map<String, RunState> runs = new ConcurrentHashMap<>();

    MonteCarloRuns(MonteCarloRepository repository, Scheduler scheduler, PilotRegistry pilots,
                   MonteCarloTaskSource taskSource, PartialMerge merge, EscadrilleProperties properties, Clock clock) {
        this.repository = repository;
        this.scheduler = scheduler;
        this.taskSource = taskSource;
        this.merge = merge;
        this.clock = clock;
        this.tasks = new RunTasks(repository, scheduler, pilots, taskSource, clock, scheduler::leaseMs);
    }

    /** What a launch needs to start a run. {@code replay}: the exact (seed, events) of each task, or empty. */
    public record Plan(String executionId, MonteCarloSpec spec, Split split, long totalEvents, long baseSeed,
                       int tasks, Account owner, String outputDir, String replayOf, List<long[]> replay) {
    }

    /** What the engine should do with an execution after one of its tasks ended. */
    public sealed interface Outcome {
        /** Tasks are still running (or new ones were started). */
        record Continue() implements Outcome {
        }

        /** The partial results are merged: the execution is finished. */
        record Merged(long events) implements Outcome {
        }

        /** The run cannot reach its total or cannot be merged. */
        record Failed(String reason) implements Outcome {
        }
    }

    /** The tasks a run starts with; the caller submits them with the execution. */
    public int initialTasks(Split split, MonteCarloSpec spec, int requested) {
        return tasks.initialTasks(split, spec, requested);
    }

    /** Records a new run and makes its first tasks (not yet submitted). */
    public List<TaskDefinition> start(Plan plan) {
        repository.insertRun(new MonteCarloRepository.RunRow(plan.executionId(), plan.split(), plan.totalEvents(),
                plan.baseSeed(), plan.spec().maxTasks(), plan.replayOf(), null, null));
        var run = new RunState(plan.executionId(), plan.spec(), plan.split(), plan.totalEvents(), plan.baseSeed(),
                plan.owner(), plan.outputDir());
        runs.put(plan.executionId(), run);
        return tasks.first(run, plan);
    }

    /** A running task's progress: may reach the total (stop everyone) or call for more tasks. */
    public void progress(String executionId, String taskId, long events) {
        var found = run(executionId);
        if (found.isEmpty() || found.get().split != Split.DYNAMIC) {
            return;
        }
        RunState run = found.get();
        run.lock.lock();
        try {
            run.running.put(taskId, events);
            run.targets.progress(taskId, events, clock.millis());
            if (run.stopping || run.done) {
                return;
            }
            long sum = run.completed + run.runningEvents();
            if (sum >= run.total) {
                stop(run, sum);
            } else {
                tasks.shareRemainder(run);
                tasks.fill(run, 0, 0);
            }
        } finally {
            run.lock.unlock();
        }
    }

    /** One of the run's tasks ended: account its events; when none is left, merge (or start more). */
    public Outcome taskEnded(String executionId, String taskId) {
        var found = run(executionId);
        if (found.isEmpty()) {
            return new Outcome.Continue();
        }
        RunState run = found.get();
        run.lock.lock();
        try {
            run.running.remove(taskId);
            run.targets.ended(taskId);
            if (run.done) {
                return new Outcome.Continue();
            }
            run.completed = repository.completedEvents(executionId);
            long sum = run.completed + run.runningEvents();
            if (run.split == Split.DYNAMIC && !run.stopping && sum >= run.total) {
                stop(run, sum);
            }
            // The database, not the scheduler's leases: a task whose completion is still being recorded
            // (outputs moving) is not ended yet, and its partial result must be in the merge.
            if (repository.unfinishedTasks(executionId) > 0) {
                if (run.split == Split.DYNAMIC && !run.stopping) {
                    Long share = run.shares.get(taskId);
                    if (share != null && repository.tasks(executionId).stream().anyMatch(t -> t.taskId().equals(taskId)
                            && t.status().equals("STOPPED") && t.events() >= share)) {
                        // It stopped at its share (not a death that kept a checkpoint): the run is in its last
                        // stretch, and its slot stays free.
                        run.finishing = true;
                    }
                    // The others take over what this one did not do.
                    tasks.shareRemainder(run);
                    tasks.fill(run, 0, 0);
                }
                return new Outcome.Continue();
            }
            return conclude(run);
        } finally {
            run.lock.unlock();
        }
    }

    /**
     * Its owner stops a run now: every running task is told to stop and upload its partial result,
     * queued ones are dropped, and what they simulated is merged as for a normal end, short of the
     * total. Answers the outcome when no task was left to wait for; empty when the last task's end
     * will bring it (or the run had already ended).
     */
    public Optional<Outcome> stopAndMerge(String executionId, String by) {
        RunState run = run(executionId).orElseThrow(() -> new IllegalArgumentException("no Monte-Carlo run " + executionId));
        run.lock.lock();
        try {
            if (run.done || run.stoppedBy != null) {
                return Optional.empty();
            }
            run.stoppedBy = by;
            repository.markStopped(executionId, by);
            run.stopping = true;
            scheduler.stopExecution(executionId);
            log.info("Monte-Carlo execution {} stopped by {}: its tasks stop and what they simulated is merged",
                    executionId, by);
            if (repository.unfinishedTasks(executionId) > 0) {
                return Optional.empty();
            }
            run.completed = repository.completedEvents(executionId);
            return Optional.of(conclude(run));
        } finally {
            run.lock.unlock();
        }
    }

    /** The execution was killed: the run makes no more tasks and merges nothing. */
    public void killed(String executionId) {
        run(executionId).ifPresent(run -> {
            run.lock.lock();
            try {
                run.done = true;
            } finally {
                run.lock.unlock();
            }
        });
    }

    /** No task of the run is left: merge, start more (the total is not reached), or fail. Under the run's lock. */
    private Outcome conclude(RunState run) {
        String executionId = run.executionId;
        scheduler.stopTargets(executionId, Map.of());
        boolean reached = run.stoppedBy != null ? run.completed > 0
                : run.split == Split.DYNAMIC ? run.completed >= run.total : staticTasksAllSucceeded(executionId);
        if (run.stoppedBy != null && !reached) {
            run.done = true;
            return new Outcome.Failed("stopped by " + run.stoppedBy + " before any event was simulated: nothing to merge");
        }
        if (!reached) {
            if (run.split == Split.DYNAMIC && run.nextIndex < run.spawnLimit()) {
                // The total looked reached, but a task that counted towards it died before ending: its
                // events are lost. The new tasks must be stopped again when the total is really reached.
                // They need only make up the shortfall, which also bounds what they can overshoot.
                run.stopping = false;
                run.toppingUp = true;
                tasks.fill(run, 1, run.total - run.completed);
                return new Outcome.Continue();
            }
            run.done = true;
            return new Outcome.Failed("only " + run.completed + " of " + run.total + " events were simulated: "
                    + (run.split == Split.DYNAMIC ? "too many tasks failed" : "a task failed"));
        }
        try {
            merge.merge(executionId, run.owner, run.outputDir, run.spec);
        } catch (Merger.MergeException e) {
            run.done = true;
            return new Outcome.Failed("the partial results could not be merged: " + e.getMessage());
        }
        repository.markMerged(executionId, clock.millis());
        run.done = true;
        log.info("Monte-Carlo execution {} merged: {} events simulated for a total of {}{}", executionId,
                run.completed, run.total, run.stoppedBy == null ? "" : " (stopped by " + run.stoppedBy + ")");
        return new Outcome.Merged(run.completed);
    }

    public boolean isRun(String executionId) {
        return run(executionId).isPresent();
    }

    public Optional<MonteCarloSummary> summary(String executionId) {
        return repository.findRun(executionId).map(row -> {
            var tasks = repository.tasks(executionId).stream()
                    .map(t -> new MonteCarloSummary.TaskShare(t.taskId(), t.index(), t.seed(), t.eventsRequested(),
                            t.events(), t.status()))
                    .toList();
            RunState run = runs.get(executionId);
            long running = run == null ? 0 : run.runningEvents();
            return new MonteCarloSummary(row.split().name().toLowerCase(Locale.ROOT), row.totalEvents(),
                    repository.completedEvents(executionId) + running, row.replayOf(), tasks, row.stoppedBy());
        });
    }

    public List<MergedOutput> mergedOutputs(String executionId) {
        return repository.mergedOutputs(executionId);
    }

    private void stop(RunState run, long sum) {
        run.stopping = true;
        log.info("Monte-Carlo execution {} reached {} of {} events: stopping its tasks", run.executionId, sum, run.total);
        scheduler.stopExecution(run.executionId);
    }

    private boolean staticTasksAllSucceeded(String executionId) {
        return repository.tasks(executionId).stream().allMatch(t -> t.status().equals("SUCCEEDED") || t.status().equals("STOPPED"));
    }

    private Optional<RunState> run(String executionId) {
        RunState run = runs.get(executionId);
        if (run != null) {
            return Optional.of(run);
        }
        return repository.findRun(executionId).flatMap(row -> taskSource.reload(executionId).map(context -> {
            var reloaded = new RunState(executionId, context.spec(), row.split(), row.totalEvents(), row.baseSeed(),
                    context.owner(), context.outputDir());
            reloaded.nextIndex = repository.taskCount(executionId);
            reloaded.initialCount = reloaded.nextIndex;
            reloaded.done = row.mergedAt() != null;
            reloaded.stoppedBy = row.stoppedBy();
            reloaded.stopping = row.stoppedBy() != null;
            return runs.computeIfAbsent(executionId, id -> reloaded);
        }));
    }
}
