package org.escadrille.server.scheduling;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.escadrille.protocol.Order;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Straggler replication: an attempt running far longer than its execution's finished ones gets a
 * second attempt on another pilot; the first to succeed wins and the other is cancelled. This class
 * holds which tasks are replicated and decides, once for every way an attempt ends (completed or
 * lost), whether that ending is the task's or only the attempt's.
 */
final class Replicas {
    private static final Logger log = LoggerFactory.getLogger(Replicas.class);

    /** How an ended attempt of a task counts. */
    enum Settlement {
        /** The task's own ending: record it for the task (retry, fail, succeed). */
        TASK,
        /** Another attempt of the task won or still runs: record the attempt only. */
        ATTEMPT_ONLY,
        /** It succeeded after another attempt had won: record it, as cancelled, for the attempt only. */
        TOO_LATE
    }

    private final SchedulerState state;
    private final Stragglers stragglers;
    private final Clock clock;
    /** Tasks with a replica running: task id to the attempt that won, "" until one has. Under the state's lock. */
    private final Map<String, String> replicated = new HashMap<>();

    Replicas(SchedulerState state, Stragglers stragglers, Clock clock) {
        this.state = state;
        this.stragglers = stragglers;
        this.clock = clock;
    }

    /**
     * Gives every straggler (an attempt running for far longer than its siblings took) a replica on another pilot;
     * not an attempt whose command has ended and whose report is only late.
     */
    void replicateStragglers() {
        long now = clock.millis();
        state.write(() -> {
            boolean added = false;
            for (Lease lease : state.leases.values()) {
                TaskDefinition task = lease.definition();
                if (lease.startedAtMs > 0 && !lease.commandEnded && task.spec().progress() == null
                        && !replicated.containsKey(task.id())
                        && stragglers.isStraggler(task.executionId(), now - lease.startedAtMs)) {
                    replicated.put(task.id(), "");
                    state.queue.add(lease.task.replicaAvoiding(lease.pilotId, now));
                    added = true;
                    log.info("task {} runs on pilot {} for {} s, far longer than its siblings: replicating it elsewhere",
                            task.id(), lease.pilotId, (now - lease.startedAtMs) / 1000);
                }
            }
            if (added) {
                state.workQueued();
            }
        });
    }

    /** An attempt succeeded in {@code durationMs}: a sample of how long its execution's tasks take. Under the lock. */
    void finished(String executionId, long durationMs) {
        stragglers.finished(executionId, durationMs);
    }

    /**
     * How an attempt's ending counts, its lease already released. The first replicated attempt to
     * succeed wins: its siblings are ordered to cancel and its queued replicas dropped. The bookkeeping
     * of a task goes once none of its attempts is leased or queued. Under the lock.
     */
    Settlement settle(Lease lease, boolean succeeded) {
        String taskId = lease.definition().id();
        String winner = replicated.get(taskId);
        if (winner == null) {
            return Settlement.TASK;
        }
        Settlement settlement;
        if (succeeded && winner.isEmpty()) {
            replicated.put(taskId, lease.attemptId);
            state.leasesOfTask(taskId).forEach(l -> state.pendingOrders.put(l.attemptId, Order.Kind.CANCEL));
            state.queue.removeTask(taskId);
            settlement = Settlement.TASK;
        } else if (!winner.isEmpty()) {
            settlement = succeeded ? Settlement.TOO_LATE : Settlement.ATTEMPT_ONLY;
        } else {
            settlement = state.hasLiveAttempt(taskId) ? Settlement.ATTEMPT_ONLY : Settlement.TASK;
        }
        if (!state.hasLiveAttempt(taskId)) {
            replicated.remove(taskId);
        }
        return settlement;
    }
}
