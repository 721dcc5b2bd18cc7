package org.escadrille.protocol;

/**
 * A pilot's side of folding its heartbeat into its lease requests ({@link LeaseRequest#attempts()}, to a server
 * whose registration says {@link PilotRegistered#leaseTakesStatuses()}): which lease requests carry the attempts'
 * statuses, and which due heartbeats the pilot may skip. The real pilot and {@code bench/run scale}'s simulated
 * ones follow the same rule through this class. Times are milliseconds of the caller's clock; thread-safe.
 *
 * <p>A lease request carries the statuses once they last went out (in a heartbeat or a lease request) a second
 * ago, or half an interval if that is shorter: a pilot of short tasks leases many times a second. A due heartbeat
 * may be skipped while a request with the statuses sent within the last interval was answered or is still on its
 * way: the server renews the leases when it takes the request, and while it sheds the pilot's calls it keeps their
 * leases alive anyway.
 */
public final class HeartbeatFold {
    private static final long NEVER = Long.MIN_VALUE;
    private static final long MAX_SPACING_MS = 1_000;

    /** When the statuses last went out, in a heartbeat or a lease request. */
    private long sentMs = NEVER;
    /** When the newest heartbeat or lease request with statuses that the server answered was sent. */
    private long answeredMs = NEVER;
    /** When the lease request on its way was sent, if it carries the statuses. */
    private long inFlightMs = NEVER;

    /**
     * Whether the lease request about to be sent carries the statuses. {@code folding} says whether the pilot folds
     * at all now (the server takes statuses, the pilot has attempts, and it was not asked for heartbeats sooner than
     * usual). True counts the statuses as sent, on their way until {@link #leaseAnswered()}.
     */
    public synchronized boolean carry(long nowMs, long intervalMs, boolean folding) {
        if (!folding || (sentMs != NEVER && nowMs - sentMs < Math.min(MAX_SPACING_MS, intervalMs / 2))) {
            inFlightMs = NEVER;
            return false;
        }
        sentMs = nowMs;
        inFlightMs = nowMs;
        return true;
    }

    /** The server answered the lease request last sent: the statuses it carried, if any, reached it. */
    public synchronized void leaseAnswered() {
        if (inFlightMs != NEVER) {
            answeredMs = Math.max(answeredMs, inFlightMs);
            inFlightMs = NEVER;
        }
    }

    /** A heartbeat goes out now. */
    public synchronized void heartbeatSent(long nowMs) {
        sentMs = nowMs;
    }

    /** The server answered the heartbeat sent at {@code sentAtMs}. */
    public synchronized void heartbeatAnswered(long sentAtMs) {
        answeredMs = Math.max(answeredMs, sentAtMs);
    }

    /**
     * Whether a heartbeat due now may be skipped: a request with the statuses sent within the last interval was
     * answered, or is on its way ({@code leasing}: a lease request is on its way or waits on the server).
     */
    public synchronized boolean maySkip(long nowMs, long intervalMs, boolean leasing) {
        return (answeredMs != NEVER && nowMs - answeredMs < intervalMs)
                || (leasing && inFlightMs != NEVER && nowMs - inFlightMs < intervalMs);
    }
}
