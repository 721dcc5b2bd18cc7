package org.escadrille.protocol;

import java.util.List;

/**
 * The server's reply to a heartbeat: orders for some attempts, and whether the pilot should
 * drain (take no new tasks and exit when its running ones end).
 *
 * @param unknownPilot    true when the server does not know this pilot any more (it stops: its
 *                        registration token was good for one registration)
 * @param nextHeartbeatMs when to send the next heartbeat, if sooner than the usual interval (0: the
 *                        usual interval). Monte-Carlo tasks need their stop order fast, so that they all
 *                        end together.
 * @param sessionToken    a fresh session token that replaces the one the pilot has (rotation; the old
 *                        one works for a short grace, for requests in flight), or null: keep it
 */
public record HeartbeatReply(List<Order> orders, boolean drain, boolean unknownPilot, long nextHeartbeatMs,
                             String sessionToken) {

    public HeartbeatReply {
        orders = orders == null ? List.of() : List.copyOf(orders);
        if (nextHeartbeatMs < 0) {
            throw new IllegalArgumentException("nextHeartbeatMs must not be negative");
        }
    }

    public HeartbeatReply(List<Order> orders, boolean drain, boolean unknownPilot, long nextHeartbeatMs) {
        this(orders, drain, unknownPilot, nextHeartbeatMs, null);
    }

    public HeartbeatReply(List<Order> orders, boolean drain, boolean unknownPilot) {
        this(orders, drain, unknownPilot, 0);
    }

    /** This reply carrying {@code token} as the pilot's new session token. */
    public HeartbeatReply withSessionToken(String token) {
        return new HeartbeatReply(orders, drain, unknownPilot, nextHeartbeatMs, token);
    }
}
