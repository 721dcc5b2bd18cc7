package org.escadrille.server.scheduling;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
    private final Clock clock;

    LostLeases(SchedulerState state, AttemptEnding ending, Replicas replicas, Dispatch dispatch, Clock clock) {
        this.state = state;
        this.ending = ending;
        this.replicas = replicas;
        this.dispatch = dispatch;
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
        expire(lease -> lease.deadlineMs < now, null);
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
