package org.escadrille.server.scheduling;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.server.EscadrilleProperties;
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
    private final HeartbeatPace pace;
    private final Clock clock;
    private final LongPolls longPolls;
    /** Lease requests, served in batches by one thread: what arrived while the last batch was served. */
    private final GroupCommit<LongPolls.Waiter, CompletableFuture<LeaseGrant>> leaseRequests;

    Dispatch(SchedulerState state, TaskRepository tasks, SchedulerMetrics metrics,
             EscadrilleProperties.Scheduling settings, HeartbeatPace pace, int maxParked, LongSupplier comeBackSpreadMs,
             Clock clock) {
        this.state = state;
        this.tasks = tasks;
        this.metrics = metrics;
        this.settings = settings;
        this.pace = pace;
        this.clock = clock;
        this.longPolls = new LongPolls(state, this::newGrants, () -> state.queue.nextBackoffEnd(clock.millis()), maxParked,
                SchedulerState.nanos(settings.longPoll().toMillis()), comeBackSpreadMs, new SplittableRandom());
        this.leaseRequests = GroupCommit.ofWaiting("lease-requests", this::leaseAll);
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
     * wait as may, is answered empty at once with a time to ask again. The requests that arrive while the
     * last ones are served are served together, under one hold of the lock, their grants written in one
     * transaction ({@link Grants}).
     */
    CompletableFuture<LeaseGrant> lease(String pilotId, String host, Set<String> pilotTags, LeaseRequest request) {
        long waitMs = Math.min(request.waitMs(), settings.longPoll().toMillis());
        long asked = System.nanoTime();
        var waiter = new LongPolls.Waiter(pilotId, host, pilotTags, request, asked, asked + SchedulerState.nanos(waitMs));
        CompletableFuture<LeaseGrant> answer = leaseRequests.submit(waiter).thenCompose(served -> served);
        // The client went away (the request was cancelled): its waiter takes no work from now on.
        answer.whenComplete((grant, failure) -> {
            if (failure instanceof CancellationException) {
                waiter.answer.cancel(false);
            }
        });
        return answer;
    }

    /** One answer per lease request of the batch, in order; the answers of those granted work complete once it is written. */
    private List<CompletableFuture<LeaseGrant>> leaseAll(List<LongPolls.Waiter> waiters) {
        return state.update(() -> {
            var grants = newGrants();
            var granted = new ArrayList<LongPolls.Waiter>();
            var answers = new ArrayList<CompletableFuture<LeaseGrant>>(waiters.size());
            for (var waiter : waiters) {
                if (waiter.answer.isDone()) {
                    answers.add(waiter.answer);
                } else if (grants.take(waiter)) {
                    granted.add(waiter);
                    answers.add(waiter.answer);
                } else if (!waiter.waits()) {
                    answers.add(CompletableFuture.completedFuture(LeaseGrant.none()));
                } else if (!longPolls.hasRoom()) {
                    metrics.turnedAway();
                    answers.add(CompletableFuture.completedFuture(longPolls.turnAway(waiter)));
                } else {
                    longPolls.add(waiter);
                    answers.add(waiter.answer);
                }
            }
            try {
                for (var grant : grants.commit()) {
                    grant.waiter().answer.complete(new LeaseGrant(grant.tasks(), false));
                }
            } catch (RuntimeException e) {
                granted.forEach(waiter -> waiter.answer.completeExceptionally(e));
            }
            return answers;
        });
    }

    private Grants newGrants() {
        return new Grants(state, tasks, metrics, pace, clock);
    }

    /**
     * Answers at once, empty, the lease requests of these pilots that wait for work: orders wait for their attempts,
     * and a pilot that folds its heartbeat into its lease requests skips its heartbeats while one waits here, so it
     * would learn them only at the long poll's end. Its next request, sent at once, carries its attempts' statuses
     * and is answered with the orders; an older pilot, whose lease requests carry none, heartbeats as before.
     */
    void wake(Set<String> pilotIds) {
        if (pilotIds.isEmpty()) {
            return;
        }
        state.update(() -> longPolls.wake(pilotIds)).forEach(waiter -> waiter.answer.complete(LeaseGrant.none()));
    }

    /** Lease requests waiting for work now. */
    int waitingCount() {
        return state.read(longPolls::size);
    }

    /** Answers the waiting lease requests empty and stops handing out work to them. */
    void close() {
        leaseRequests.close();
        longPolls.close();
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
                    // Its pilot may still be at work: give it one lease period to reconnect and re-adopt, the
                    // longest the heartbeats' pace gives, since the pilot may have been told the longest interval.
                    var lease = new Lease(live.attemptId(), queued, live.pilotId(), live.host(), now + pace.maxLeaseMs());
                    lease.startedAtMs = live.startedAtMs();
                    // The pilot may have uploaded outputs before the restart: its ending looks.
                    lease.outputsStaged = true;
                    state.lease(lease);
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
        return state.read(() -> (int) (state.queue.queuedOf(executionId) + state.leasesOfExecution(executionId).count()));
    }

    Map<String, Long> queuedByUser() {
        return state.read(state.queue::countByUser);
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
