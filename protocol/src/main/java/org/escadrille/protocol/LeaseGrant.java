package org.escadrille.protocol;

import java.util.List;

/**
 * The tasks leased to a pilot by one request; empty when the long poll timed out, or at once when the
 * server holds as many waiting requests as it will (then {@code retryAfterMs} says when to ask again:
 * the pilot waits that long before its next lease request; 0: ask again at once).
 *
 * @param sessionToken a fresh session token that replaces the one the pilot has, as a heartbeat reply's does
 *                     ({@link HeartbeatReply#sessionToken()}), or null: keep it. A pilot with nothing running
 *                     sends lease requests and no heartbeats ({@link PilotRegistered#leaseRenewsSession()}), so
 *                     its token must come this way.
 */
public record LeaseGrant(List<TaskAssignment> tasks, boolean drain, long retryAfterMs, String sessionToken) {

    public LeaseGrant {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        if (retryAfterMs < 0) {
            throw new IllegalArgumentException("retryAfterMs must not be negative, got " + retryAfterMs);
        }
    }

    /** A grant without a fresh session token. */
    public LeaseGrant(List<TaskAssignment> tasks, boolean drain, long retryAfterMs) {
        this(tasks, drain, retryAfterMs, null);
    }

    /** This grant carrying {@code token} as the pilot's new session token (null: none). */
    public LeaseGrant withSessionToken(String token) {
        return new LeaseGrant(tasks, drain, retryAfterMs, token);
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
