package org.escadrille.server.scheduling;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases that end without a completion: those no heartbeat renewed before their deadline, and those
 * of a pilot known to be gone. Their attempts are recorded as lost and their tasks go back to the
 * queue, unless they ran out of losses.
 */
final class LostLeases {
    private static final Logger log = LoggerFactory.getLogger(LostLeases.class);

    private final SchedulerState state;
    private final AttemptEnding ending;
    private final Replicas replicas;
    private final Dispatch dispatch;
    private final ToLongFunction<String> lastShedMs;
    private final LongSupplier leaseMs;
    private final Clock clock;

    /**
     * @param lastShedMs when a call of the pilot was last shed, or {@link Long#MIN_VALUE} ({@link PilotRegistry#lastShedMs})
     * @param leaseMs    how long a lease lives from its pilot's last heartbeat
     */
    LostLeases(SchedulerState state, AttemptEnding ending, Replicas replicas, Dispatch dispatch, ToLongFunction<String> lastShedMs,
               LongSupplier leaseMs, Clock clock) {
        this.state = state;
        this.ending = ending;
        this.replicas = replicas;
        this.dispatch = dispatch;
        this.lastShedMs = lastShedMs;
        this.leaseMs = leaseMs;
        this.clock = clock;
    }

    /** A pilot is known to be dead (its process ended): its leases end now instead of at their deadline. */
    void pilotGone(String pilotId, String why) {
        state.write(() -> state.gonePilots.add(pilotId));
        expire(lease -> lease.pilotId.equals(pilotId), "pilot " + pilotId + " " + why);
    }

    /** Returns the tasks of leases that no heartbeat renewed in time to the queue. */
    void expireLeases() {
        long now = clock.millis();
        expire(lease -> lease.deadlineMs < now && !renewedByShedCall(lease, now), null);
    }

    /**
     * Whether a lease past its deadline lives on because its pilot called within a lease period and the server
     * shed the call (503): then it was the server that turned the pilot's heartbeats away, not the pilot that
     * stopped. The lease is renewed as from that call. With 10,000 pilots asking for work, 2,454 leases of pilots
     * whose heartbeats and completions were shed for a minute ran out in a window of 30 s in which 9,600 tasks
     * completed: each a task run again, its late result discarded, and a transaction of its own (issue 18;
     * bench/README.md, "Scale"). A pilot that stops calling loses its leases a lease period after its last call,
     * shed or not, as before. Called under the scheduler's lock.
     */
    private boolean renewedByShedCall(Lease lease, long now) {
        long shedAt = lastShedMs.applyAsLong(lease.pilotId);
        long leaseMsNow = leaseMs.getAsLong();
        if (shedAt == Long.MIN_VALUE || shedAt + leaseMsNow <= now) {
            return false;
        }
        lease.deadlineMs = Math.max(lease.deadlineMs, shedAt + leaseMsNow);
        return true;
    }

    private void expire(Predicate<Lease> which, String reason) {
        long now = clock.millis();
        List<Lease> expired = state.update(() -> {
            var ended = new ArrayList<Lease>();
            for (Lease lease : state.leases.values()) {
                if (which.test(lease)) {
                    ended.add(lease);
                }
            }
            // All released before any is settled: a replica expiring with its original is no sibling alive.
            ended.forEach(state::release);
            for (Lease lease : ended) {
                lease.replicaOnly = replicas.settle(lease, false) != Replicas.Settlement.TASK;
            }
            return ended;
        });
        for (Lease lease : expired) {
            String why = reason != null ? reason
                    : "lease expired: pilot " + lease.pilotId + " on " + lease.host + " stopped answering";
            log.info("attempt {} (task {}) lost: {}", lease.attemptId, lease.definition().id(), why);
            ending.lost(lease, why, now, lease.replicaOnly).ifPresent(dispatch::requeue);
        }
    }
}
