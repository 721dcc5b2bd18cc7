package org.escadrille.protocol;

import java.util.List;

/**
 * The server's reply to a heartbeat: orders for some attempts, and whether the pilot should
 * drain (take no new tasks and exit when its running ones end).
 *
 * @param unknownPilot true when the server does not know this pilot any more (it must re-register)
 */
public record HeartbeatReply(List<Order> orders, boolean drain, boolean unknownPilot) {

    public HeartbeatReply {
        orders = orders == null ? List.of() : List.copyOf(orders);
    }
}
