package org.escadrille.server.montecarlo;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.escadrille.server.scheduling.PilotRegistry;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.scheduling.TaskDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of a dynamic Monte-Carlo run (DESIGN §5): how many it starts with (one per available
 * slot), new ones for slots that free up or join while the total is not reached, and the stop
 * targets that make the running ones end together on the total ({@link StopTargets} divides what is
 * left by their rates). {@link #fill} and {@link #shareRemainder} are called under the run's lock.
 */
final class RunTasks {
    private static final Logger log = LoggerFactory.getLogger(RunTasks.class);
    /** In a run's last few progress heartbeats, a slot that frees up gets no new task: it would end before it began. */
    private static final int TARGET_HORIZON_HEARTBEATS = 4;

    private final MonteCarloRepository repository;
    private final Scheduler scheduler;
    private final PilotRegistry pilots;
    private final MonteCarloTaskSource taskSource;
    private final Clock clock;
    private final LongSupplier capacityWindowMs;
    private final long targetHorizonMs;

    /** @param capacityWindowMs how recently a pilot must have been seen for its slots to count */
    RunTasks(MonteCarloRepository repository, Scheduler scheduler, PilotRegistry pilots, MonteCarloTaskSource taskSource,
             Clock clock, LongSupplier capacityWindowMs) {
        this.repository = repository;
        this.scheduler = scheduler;
        this.pilots = pilots;
        this.taskSource = taskSource;
        this.clock = clock;
        this.capacityWindowMs = capacityWindowMs;
        this.targetHorizonMs = TARGET_HORIZON_HEARTBEATS * Scheduler.PROGRESS_HEARTBEAT_MS;
    }

    /** The tasks a run starts with; the caller submits them with the execution. */
    int initialTasks(Split split, MonteCarloSpec spec, int requested) {
        if (requested > 0) {
            return spec.maxTasks() > 0 ? Math.min(requested, spec.maxTasks()) : requested;
        }
        int slots = Math.max(1, pilots.liveSlots(capacityWindowMs.getAsLong()));
        return spec.maxTasks() > 0 ? Math.min(slots, spec.maxTasks()) : slots;
    }

    /**
     * The first tasks of a new run: as replayed, or the planned count, each with the whole total (dynamic
     * split) or its share of it (static).
     */
    List<TaskDefinition> first(RunState run, MonteCarloRuns.Plan plan) {
        var tasks = new ArrayList<TaskDefinition>();
        if (!plan.replay().isEmpty()) {
            for (long[] share : plan.replay()) {
                tasks.add(newTask(run, share[1], share[0]));
            }
            run.initialCount = tasks.size();
            return tasks;
        }
        int count = plan.tasks();
        run.initialCount = count;
        for (int i = 0; i < count; i++) {
            long events = plan.split() == Split.STATIC
                    ? plan.totalEvents() / count + (i < plan.totalEvents() % count ? 1 : 0)
                    : plan.totalEvents();
            tasks.add(newTask(run, events, plan.baseSeed() + i));
        }
        if (plan.split() == Split.DYNAMIC) {
            // Equal shares to start with, handed out with the tasks: a run of a second or two is over
            // before its first heartbeats could bring any. Rates correct them as they are measured.
            run.lock.lock();
            try {
                shareRemainder(run);
            } finally {
                run.lock.unlock();
            }
        }
        return tasks;
    }

    private TaskDefinition newTask(RunState run, long events, long seed) {
        int index = run.nextIndex++;
        var task = taskSource.create(run.executionId, index, events, seed, run.split);
        repository.insertTask(task.id(), run.executionId, index, seed, events);
        if (run.split == Split.DYNAMIC) {
            run.targets.started(task.id());
        }
        return task;
    }

    /**
     * Tells each running task at which count to stop: the events left shared by their rates, so that
     * they end together on the total (the pilots stop them there themselves).
     */
    void shareRemainder(RunState run) {
        var share = run.targets.share(run.total - run.completed, clock.millis());
        run.finishing = run.finishing || share.untilEndMs() <= targetHorizonMs;
        if (!share.targets().isEmpty()) {
            run.shares.clear();
            run.shares.putAll(share.targets());
            scheduler.stopTargets(run.executionId, share.targets());
        }
    }

    /**
     * Keeps one task per available slot while the total is not reached (at least {@code minimum} live),
     * each aiming at the whole total, or, given a {@code shortfall}, sharing just that (which bounds what
     * they can overshoot). Not in a run's last moments: a task that starts then would end before it had
     * done anything worth its start.
     */
    void fill(RunState run, int minimum, long shortfall) {
        if ((run.finishing || run.toppingUp) && minimum == 0) {
            return;
        }
        int desired = Math.max(minimum, initialTasks(Split.DYNAMIC, run.spec, 0));
        // A task whose completion is being recorded has left the scheduler but not yet the run: it is
        // not a free slot (counting it as one started a whole-total task as a run ended).
        int live = Math.max(scheduler.liveTasks(run.executionId), run.targets.tasks());
        int count = Math.max(0, Math.min(desired - live, run.spawnLimit() - run.nextIndex));
        if (shortfall > 0) {
            count = (int) Math.min(count, shortfall);
        }
        var more = new ArrayList<TaskDefinition>();
        for (int i = 0; i < count; i++) {
            long events = shortfall > 0 ? shortfall / count + (i < shortfall % count ? 1 : 0) : run.total;
            more.add(newTask(run, events, run.baseSeed + run.nextIndex));
        }
        if (!more.isEmpty()) {
            log.info("Monte-Carlo execution {}: {} more task(s) for free slots", run.executionId, more.size());
            // Their shares go out with them.
            shareRemainder(run);
            scheduler.submit(more);
        }
    }
}
