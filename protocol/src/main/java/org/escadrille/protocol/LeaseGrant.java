package org.escadrille.protocol;

import java.util.List;

/**
 * The tasks leased to a pilot by one request; empty when the long poll timed out, or at once when the
 * server holds as many waiting requests as it will (then {@code retryAfterMs} says when to ask again:
 * the pilot waits that long before its next lease request; 0: ask again at once).
 */
public record LeaseGrant(List<TaskAssignment> tasks, boolean drain, long retryAfterMs) {

    public LeaseGrant {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        if (retryAfterMs < 0) {
            throw new IllegalArgumentException("retryAfterMs must not be negative, got " + retryAfterMs);
        }
    }

    /** A grant after which the pilot may ask again at once. */
    public LeaseGrant(List<TaskAssignment> tasks, boolean drain) {
        this(tasks, drain, 0);
    }

    public static LeaseGrant none() {
        return new LeaseGrant(List.of(), false);
    }

    /** No task now, and no room to wait on the server: ask again in {@code retryAfterMs}. */
    public static LeaseGrant later(long retryAfterMs) {
        return new LeaseGrant(List.of(), false, retryAfterMs);
    }
}
