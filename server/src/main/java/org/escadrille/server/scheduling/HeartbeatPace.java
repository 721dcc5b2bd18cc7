package org.escadrille.server.scheduling;

/**
 * How often pilots running tasks heartbeat, and so how long their leases live: the configured interval while
 * the pilots that run tasks send fewer heartbeats a second than the budget at it, longer once they would
 * send more, so that a pool of any size sends about the budget. A pilot that runs tasks heartbeats every
 * interval whatever its tasks' length, so at 10,000 such pilots the 15 s default meant 667 heartbeats a
 * second, more than the tasks' own calls on a pool of minute-long tasks (issue 18).
 *
 * <p>The lease grows in proportion, so that a lease always outlives as many intervals as the settings say.
 * Every answer that sets a lease's deadline tells its pilot the interval that goes with it (registration,
 * heartbeat reply, lease grant), so a pilot's next heartbeat is due well within the deadline it renewed.
 * The interval grows at once, and falls by half at most once per longest interval: a pilot that missed the
 * reply telling it a shorter one heartbeats, with the interval before, within half as many intervals as a lease
 * holds (two with the defaults). What it costs: a pilot that dies unannounced is found out after the longer
 * lease, and its tasks are requeued that much later.
 */
final class HeartbeatPace {
    private final long baseIntervalMs;
    private final long baseLeaseMs;
    private final long maxIntervalMs;
    private final int budgetPerSecond;
    private volatile long intervalMs;
    private long lastFallMs = Long.MIN_VALUE;

    /**
     * @param baseIntervalMs  the configured interval, the shortest
     * @param baseLeaseMs     the configured lease, which goes with {@code baseIntervalMs}
     * @param maxIntervalMs   the longest interval
     * @param budgetPerSecond heartbeats a second to plan for (0: the interval stays {@code baseIntervalMs})
     */
    HeartbeatPace(long baseIntervalMs, long baseLeaseMs, long maxIntervalMs, int budgetPerSecond) {
        if (baseIntervalMs <= 0 || baseLeaseMs <= baseIntervalMs || maxIntervalMs < baseIntervalMs || budgetPerSecond < 0) {
            throw new IllegalArgumentException("a heartbeat pace needs 0 < interval " + baseIntervalMs + " < lease "
                    + baseLeaseMs + ", a longest interval " + maxIntervalMs + " not below it, and a budget "
                    + budgetPerSecond + " not below 0");
        }
        this.baseIntervalMs = baseIntervalMs;
        this.baseLeaseMs = baseLeaseMs;
        this.maxIntervalMs = maxIntervalMs;
        this.budgetPerSecond = budgetPerSecond;
        this.intervalMs = baseIntervalMs;
    }

    /** The interval pilots are told now. */
    long intervalMs() {
        return intervalMs;
    }

    /** How long a lease renewed now lives: the configured lease, times the interval over the configured one. */
    long leaseMs() {
        return leaseFor(intervalMs);
    }

    /** The longest lease the pace ever gives: what a lease the server found at its start must assume. */
    long maxLeaseMs() {
        return leaseFor(maxIntervalMs);
    }

    /** The lease that goes with {@code interval}. */
    long leaseFor(long interval) {
        return (long) ((double) baseLeaseMs * interval / baseIntervalMs);
    }

    /**
     * Sets the interval for {@code busyPilots} pilots running tasks: as many milliseconds as they are per budget
     * a second (each then sends one heartbeat an interval), within the base and the longest interval. A longer
     * one is taken at once; a shorter one half at a time, at most once per longest interval. Called by one thread.
     *
     * @return the interval from now on
     */
    long update(int busyPilots, long nowMs) {
        if (budgetPerSecond == 0) {
            return intervalMs;
        }
        long wanted = Math.max(baseIntervalMs, Math.min(maxIntervalMs, busyPilots * 1_000L / budgetPerSecond));
        long current = intervalMs;
        if (wanted >= current) {
            intervalMs = wanted;
        } else if (lastFallMs == Long.MIN_VALUE || nowMs - lastFallMs >= maxIntervalMs) {
            intervalMs = Math.max(wanted, current / 2);
            lastFallMs = nowMs;
        }
        return intervalMs;
    }
}
