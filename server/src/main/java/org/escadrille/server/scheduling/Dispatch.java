package org.escadrille.server.scheduling;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue and the leases: new tasks go in, pilots' lease requests take them out (waiting in the
 * {@link LongPolls} when there is nothing for them), tasks to retry come back, and at start the database's live tasks are
 * put back where they were.
 */
final class Dispatch {
    private static final Logger log = LoggerFactory.getLogger(Dispatch.class);

    private final SchedulerState state;
    private final TaskRepository tasks;
    private final SchedulerMetrics metrics;
    private final EscadrilleProperties.Scheduling settings;
    private final Clock clock;
    private final LongPolls longPolls;

    Dispatch(SchedulerState state, TaskRepository tasks, SchedulerMetrics metrics,
             EscadrilleProperties.Scheduling settings, int maxParked, Clock clock) {
        this.state = state;
        this.tasks = tasks;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.longPolls = new LongPolls(state, this::grant, () -> state.queue.nextBackoffEnd(clock.millis()), maxParked,
                SchedulerState.nanos(settings.longPoll().toMillis()), new SplittableRandom());
    }

    void submit(List<TaskDefinition> newTasks) {
        long now = clock.millis();
        state.write(() -> {
            tasks.insert(newTasks, now);
            for (TaskDefinition task : newTasks) {
                state.enqueue(new QueuedTask(task, 0, 0, 0, 0, 0));
            }
        });
    }

    /**
     * Leases what the pilot may take now; when there is nothing, the request waits (no thread held) among
     * the {@link LongPolls} until work comes or its wait ends (then the answer is empty), or, when as many
     * wait as may, is answered empty at once with a time to ask again.
     */
    CompletableFuture<LeaseGrant> lease(String pilotId, String host, Set<String> pilotTags, LeaseRequest request) {
        long waitMs = Math.min(request.waitMs(), settings.longPoll().toMillis());
        long asked = System.nanoTime();
        var waiter = new LongPolls.Waiter(pilotId, host, pilotTags, request, asked, asked + SchedulerState.nanos(waitMs));
        return state.update(() -> {
            var taken = grant(waiter);
            if (!taken.isEmpty() || waitMs <= 0) {
                return CompletableFuture.completedFuture(new LeaseGrant(taken, false));
            }
            if (!longPolls.hasRoom()) {
                metrics.turnedAway();
                return CompletableFuture.completedFuture(longPolls.turnAway(waiter));
            }
            longPolls.add(waiter);
            return waiter.answer;
        });
    }

    /** What a lease request gets from the queue now, granted and written through. Under the lock. */
    private List<TaskAssignment> grant(LongPolls.Waiter waiter) {
        long tried = System.nanoTime();
        var request = waiter.request;
        var taken = take(waiter.pilotId, waiter.host, waiter.pilotTags, request, clock.millis());
        if (!taken.isEmpty()) {
            // Latency from when work was there for this request: its arrival, or the hand-off that found work.
            metrics.leaseAnswered(System.nanoTime() - Math.max(waiter.askedNanos, tried));
            metrics.dispatched(taken.size());
        }
        return taken;
    }

    /** Lease requests waiting for work now. */
    int waitingCount() {
        return state.read(longPolls::size);
    }

    /** Answers the waiting lease requests empty and stops handing out work to them. */
    void close() {
        longPolls.close();
    }

    /** Under the lock. */
    private List<TaskAssignment> take(String pilotId, String host, Set<String> pilotTags, LeaseRequest request, long now) {
        var granted = new ArrayList<TaskAssignment>();
        if (state.gonePilots.contains(pilotId) || state.blackHoles.isHole(pilotId)) {
            return granted;
        }
        // Only tasks that fit in the pilot's free slots and memory (docs/architecture.md, "Resources").
        var taken = new ArrayList<>(state.queue.take(request.freeSlots(), request.freeMemoryMb(), now, pilotId, pilotTags, false));
        if (request.prefetch() > 0) {
            // A Monte-Carlo task must start the moment it is made, and one that needs more than a core
            // or some memory must find them free: neither is queued behind busy slots.
            taken.addAll(state.queue.take(request.prefetch(), 0, now, pilotId, pilotTags, true));
        }
        if (taken.isEmpty()) {
            return granted;
        }
        var attempts = new ArrayList<TaskRepository.Attempt>(taken.size());
        for (QueuedTask queued : taken) {
            attempts.add(new TaskRepository.Attempt(Ids.newId(), pilotId, host, now));
        }
        // One transaction for the whole grant: a batch of leases costs one commit, not two per task.
        tasks.markLeased(taken.stream().map(q -> q.definition().id()).toList(), attempts);
        for (int i = 0; i < taken.size(); i++) {
            QueuedTask queued = taken.get(i);
            var attempt = attempts.get(i);
            state.leases.put(attempt.id(), new Lease(attempt.id(), queued.leased(), pilotId, host,
                    now + settings.lease().toMillis()));
            Long stopAt = state.stopTarget(queued.definition());
            granted.add(AssignmentFactory.assignment(attempt.id(), queued.definition(), stopAt == null ? 0 : stopAt));
        }
        log.debug("leased {} task(s) to pilot {}", granted.size(), pilotId);
        return granted;
    }

    /** A task to try again (its attempt failed or was lost). */
    void requeue(QueuedTask task) {
        state.write(() -> state.enqueue(task));
    }

    /** Rebuilds the queue and the leases from the database, before the first pilot call can arrive. */
    void recover() {
        long now = clock.millis();
        state.write(() -> {
            for (var live : tasks.liveTasks()) {
                var queued = new QueuedTask(live.task(), live.attempts(), live.failures(), live.losses(),
                        live.unstartedLosses(), 0);
                if (live.status() == TaskStatus.QUEUED || live.attemptId() == null) {
                    state.queue.add(queued);
                } else {
                    // Its pilot may still be at work: give it one lease period to reconnect and re-adopt.
                    var lease = new Lease(live.attemptId(), queued, live.pilotId(), live.host(),
                            now + settings.lease().toMillis());
                    lease.startedAtMs = live.startedAtMs();
                    state.leases.put(live.attemptId(), lease);
                    state.queue.running(FairShareQueue.user(queued), 1);
                }
            }
            if (!state.queue.isEmpty() || !state.leases.isEmpty()) {
                log.info("recovered {} queued task(s) and {} lease(s)", state.queue.size(), state.leases.size());
            }
            state.workQueued();
        });
    }

    /** Tasks of an execution that are queued or leased now. */
    int liveTasks(String executionId) {
        return state.read(() -> (int) (state.queue.stream().filter(q -> q.definition().executionId().equals(executionId)).count()
                + state.leasesOfExecution(executionId).count()));
    }

    Map<String, Long> queuedByUser() {
        return state.read(() -> state.queue.stream().collect(Collectors.groupingBy(
                q -> q.definition().owner().username(), Collectors.counting())));
    }

    Map<TaskNeeds, Integer> queuedByNeeds() {
        return state.read(state.queue::countByNeeds);
    }

    int queuedCount() {
        return state.read(state.queue::size);
    }

    int leasedCount() {
        return state.read(state.leases::size);
    }
}
