package org.escadrille.protocol;

import java.util.List;
import java.util.Map;

/**
 * The server's reply to a heartbeat: orders for some attempts, and whether the pilot should
 * drain (take no new tasks and exit when its running ones end).
 *
 * @param unknownPilot    true when the server does not know this pilot any more (it stops: its
 *                        registration token was good for one registration)
 * @param nextHeartbeatMs when to send the next heartbeat, if sooner than the usual interval (0: the
 *                        usual interval). Monte-Carlo tasks need their stop order fast, so that they all
 *                        end together.
 * @param stopAt          for some running Monte-Carlo attempts (by id), the event count at which the pilot
 *                        stops the tool itself, as if a STOP had come, without waiting for the next
 *                        heartbeat: the server shares the events left among the running tasks by their
 *                        rates, so that they end together on the total. A newer target replaces the older;
 *                        an attempt not named keeps its own. Older servers send none.
 * @param sessionToken    a fresh session token that replaces the one the pilot has (rotation; the old
 *                        one works for a short grace, for requests in flight), or null: keep it
 * @param heartbeatIntervalMs the pilot's usual heartbeat interval from now on, replacing the one its registration
 *                        gave ({@link PilotRegistered#heartbeatIntervalMs()}), or 0: keep it. The server paces the
 *                        heartbeats of a large pool by lengthening it, and its leases with it. Older servers send 0.
 */
public record HeartbeatReply(List<Order> orders, boolean drain, boolean unknownPilot, long nextHeartbeatMs,
                             Map<String, Long> stopAt, String sessionToken, long heartbeatIntervalMs) {

    public HeartbeatReply {
        orders = orders == null ? List.of() : List.copyOf(orders);
        stopAt = stopAt == null ? Map.of() : Map.copyOf(stopAt);
        if (nextHeartbeatMs < 0 || heartbeatIntervalMs < 0) {
            throw new IllegalArgumentException("nextHeartbeatMs and heartbeatIntervalMs must not be negative");
        }
        if (stopAt.values().stream().anyMatch(events -> events == null || events < 1)) {
            throw new IllegalArgumentException("stopAt targets must be positive event counts, got " + stopAt);
        }
    }

    public HeartbeatReply(List<Order> orders, boolean drain, boolean unknownPilot, long nextHeartbeatMs,
                          Map<String, Long> stopAt) {
        this(orders, drain, unknownPilot, nextHeartbeatMs, stopAt, null, 0);
    }

    public HeartbeatReply(List<Order> orders, boolean drain, boolean unknownPilot, long nextHeartbeatMs) {
        this(orders, drain, unknownPilot, nextHeartbeatMs, Map.of(), null, 0);
    }

    public HeartbeatReply(List<Order> orders, boolean drain, boolean unknownPilot) {
        this(orders, drain, unknownPilot, 0);
    }

    /** This reply carrying {@code token} as the pilot's new session token. */
    public HeartbeatReply withSessionToken(String token) {
        return new HeartbeatReply(orders, drain, unknownPilot, nextHeartbeatMs, stopAt, token, heartbeatIntervalMs);
    }

    /** This reply telling the pilot its heartbeat interval from now on (0: keep its own). */
    public HeartbeatReply withHeartbeatInterval(long intervalMs) {
        return new HeartbeatReply(orders, drain, unknownPilot, nextHeartbeatMs, stopAt, sessionToken, intervalMs);
    }

    /** This reply also telling the pilot to drain. */
    public HeartbeatReply draining() {
        return new HeartbeatReply(orders, true, unknownPilot, nextHeartbeatMs, stopAt, sessionToken, heartbeatIntervalMs);
    }
}
