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
 * @param heartbeat    the reply to the heartbeat the request carried ({@link LeaseRequest#attempts()}): orders,
 *                     stop targets, when to heartbeat next, as a {@link HeartbeatReply} brings them (its own session
 *                     token always null: the grant's is the one), or null when the request carried none. A reply
 *                     with stop targets or orders other than ABANDON comes at once, in a grant without tasks,
 *                     rather than after the long poll.
 * @param heartbeatIntervalMs the pilot's usual heartbeat interval from now on, as a heartbeat reply's
 *                     ({@link HeartbeatReply#heartbeatIntervalMs()}): the leases of the tasks granted last that long
 *                     per interval. 0: keep its own (older servers).
 */
public record LeaseGrant(List<TaskAssignment> tasks, boolean drain, long retryAfterMs, String sessionToken,
                         HeartbeatReply heartbeat, long heartbeatIntervalMs) {

    public LeaseGrant {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        if (retryAfterMs < 0) {
            throw new IllegalArgumentException("retryAfterMs must not be negative, got " + retryAfterMs);
        }
        if (heartbeatIntervalMs < 0) {
            throw new IllegalArgumentException("heartbeatIntervalMs must not be negative, got " + heartbeatIntervalMs);
        }
    }

    /** A grant that answers no heartbeat. */
    public LeaseGrant(List<TaskAssignment> tasks, boolean drain, long retryAfterMs, String sessionToken) {
        this(tasks, drain, retryAfterMs, sessionToken, null, 0);
    }

    /** A grant without a fresh session token. */
    public LeaseGrant(List<TaskAssignment> tasks, boolean drain, long retryAfterMs) {
        this(tasks, drain, retryAfterMs, null, null, 0);
    }

    /** This grant carrying {@code token} as the pilot's new session token (null: none). */
    public LeaseGrant withSessionToken(String token) {
        return new LeaseGrant(tasks, drain, retryAfterMs, token, heartbeat, heartbeatIntervalMs);
    }

    /** This grant carrying {@code reply} to the heartbeat its request carried (null: none). */
    public LeaseGrant withHeartbeat(HeartbeatReply reply) {
        return new LeaseGrant(tasks, drain, retryAfterMs, sessionToken, reply, heartbeatIntervalMs);
    }

    /** This grant telling the pilot its heartbeat interval from now on (0: keep its own). */
    public LeaseGrant withHeartbeatInterval(long intervalMs) {
        return new LeaseGrant(tasks, drain, retryAfterMs, sessionToken, heartbeat, intervalMs);
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
