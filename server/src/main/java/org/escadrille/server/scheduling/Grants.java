package org.escadrille.server.scheduling;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grants of one hold of the scheduler's lock: tasks are taken from the queue in memory for each
 * lease request, then written all at once in one transaction ({@link #commit}). A commit per lease request
 * was a fifth of a loaded server's CPU and, being under the lock, kept everything else waiting (issue 18);
 * the lease requests that arrive together, and the waiting ones that the hand-off serves in one pass, now
 * share one. Used under the lock only, from {@link #take} to {@link #commit}.
 */
final class Grants {
    private static final Logger log = LoggerFactory.getLogger(Grants.class);

    /** One waiter's assignments, once written. */
    record Granted(LongPolls.Waiter waiter, List<TaskAssignment> tasks) {
    }

    private record Taken(LongPolls.Waiter waiter, List<QueuedTask> tasks) {
    }

    private final SchedulerState state;
    private final TaskRepository tasks;
    private final SchedulerMetrics metrics;
    private final HeartbeatPace pace;
    private final long now;
    private final long triedNanos = System.nanoTime();
    private final List<Taken> taken = new ArrayList<>();

    Grants(SchedulerState state, TaskRepository tasks, SchedulerMetrics metrics, HeartbeatPace pace,
           Clock clock) {
        this.state = state;
        this.tasks = tasks;
        this.metrics = metrics;
        this.pace = pace;
        this.now = clock.millis();
    }

    /** Takes from the queue what the waiter may have now, in memory; false when nothing was for it. Under the lock. */
    boolean take(LongPolls.Waiter waiter) {
        if (state.gonePilots.contains(waiter.pilotId) || state.blackHoles.isHole(waiter.pilotId)) {
            return false;
        }
        var request = waiter.request;
        // Only tasks that fit in the pilot's free slots and memory (docs/architecture.md, "Resources").
        var tasksTaken = new ArrayList<>(state.queue.take(request.freeSlots(), request.freeMemoryMb(), now,
                waiter.pilotId, waiter.pilotTags, false));
        if (request.prefetch() > 0) {
            // A Monte-Carlo task must start the moment it is made, and one that needs more than a core
            // or some memory must find them free: neither is queued behind busy slots.
            tasksTaken.addAll(state.queue.take(request.prefetch(), 0, now, waiter.pilotId, waiter.pilotTags, true));
        }
        if (tasksTaken.isEmpty()) {
            return false;
        }
        taken.add(new Taken(waiter, tasksTaken));
        return true;
    }

    /**
     * Writes every grant taken in one transaction, then makes their leases: one {@link Granted} per waiter
     * that took work, in order. Should the write fail, the tasks go back to the queue as they were and the
     * failure is thrown: no lease exists that the database does not know. Under the lock.
     */
    List<Granted> commit() {
        if (taken.isEmpty()) {
            return List.of();
        }
        var taskIds = new ArrayList<String>();
        var attempts = new ArrayList<TaskRepository.Attempt>();
        for (Taken grant : taken) {
            for (QueuedTask queued : grant.tasks()) {
                taskIds.add(queued.definition().id());
                attempts.add(new TaskRepository.Attempt(Ids.newId(), grant.waiter().pilotId, grant.waiter().host, now));
            }
        }
        try {
            tasks.markLeased(taskIds, attempts);
        } catch (RuntimeException e) {
            giveBack();
            throw e;
        }
        var granted = new ArrayList<Granted>(taken.size());
        long answeredNanos = System.nanoTime();
        int next = 0;
        for (Taken grant : taken) {
            var assignments = new ArrayList<TaskAssignment>(grant.tasks().size());
            for (QueuedTask queued : grant.tasks()) {
                var attempt = attempts.get(next++);
                state.lease(new Lease(attempt.id(), queued.leased(), grant.waiter().pilotId,
                        grant.waiter().host, now + pace.leaseMs()));
                Long stopAt = state.stopTarget(queued.definition());
                assignments.add(AssignmentFactory.assignment(attempt.id(), queued.definition(), stopAt == null ? 0 : stopAt));
            }
            // Latency from when work was there for this request: its arrival, or the pass that found work.
            metrics.leaseAnswered(answeredNanos - Math.max(grant.waiter().askedNanos, triedNanos));
            metrics.dispatched(assignments.size());
            log.debug("leased {} task(s) to pilot {}", assignments.size(), grant.waiter().pilotId);
            granted.add(new Granted(grant.waiter(), assignments));
        }
        taken.clear();
        return granted;
    }

    /** The write failed: what was taken is queued again, its users' running counts as before. Under the lock. */
    private void giveBack() {
        for (Taken grant : taken) {
            for (QueuedTask queued : grant.tasks()) {
                state.queue.running(FairShareQueue.user(queued), -1);
                state.enqueue(queued);
            }
        }
        taken.clear();
    }
}
