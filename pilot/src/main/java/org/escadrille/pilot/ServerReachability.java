package org.escadrille.pilot;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Whether the server answered lately: every request reports its fate here, which logs one line when
 * the server becomes unreachable and one when it is back, and tells how long it has been gone (the
 * orphan timeout).
 */
final class ServerReachability {
    private static final Logger LOG = Logger.getLogger(ServerReachability.class.getName());
    private static final long REACHABLE = -1;

    private final Clock clock;
    private final AtomicLong unreachableSinceMs = new AtomicLong(REACHABLE);

    ServerReachability(Clock clock) {
        this.clock = clock;
    }

    void answered() {
        long since = unreachableSinceMs.getAndSet(REACHABLE);
        if (since != REACHABLE) {
            LOG.info(() -> "server reachable again after " + (clock.millis() - since) / 1000 + " s");
        }
    }

    void unreachable(String why) {
        if (unreachableSinceMs.compareAndSet(REACHABLE, clock.millis())) {
            LOG.warning(() -> "server unreachable (" + why + "); retrying");
        }
    }

    /** How long the server has been unreachable without a break, 0 when it answered last. */
    long unreachableForMs() {
        long since = unreachableSinceMs.get();
        return since == REACHABLE ? 0 : clock.millis() - since;
    }
}
