package org.escadrille.server.overload;

import java.util.Locale;
import java.util.Optional;
import org.escadrille.protocol.PilotProtocol;

/**
 * The kinds of call whose requests in progress are bounded apart, so that a storm of one (ten thousand
 * pilots registering) cannot starve the others (their heartbeats, which keep leases alive).
 */
enum CallKind {
    REGISTRATION, HEARTBEAT, LEASE, COMPLETION, USER_API;

    /** The name in metrics and messages. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Whether a shed call of this kind keeps its pilot's session token alive ({@link ShedPilotSessions}): a
     * pilot's calls but its registration, whose token is good once and for nothing else.
     */
    boolean keepsPilotSession() {
        return this == HEARTBEAT || this == LEASE || this == COMPLETION;
    }

    /**
     * The kind of a request by its path (without the context path); empty for what is never shed: the
     * health endpoints (a load balancer must see the server alive while it sheds) and the actuator
     * (the metrics scrape is how an operator sees the shedding).
     */
    static Optional<CallKind> of(String path) {
        if (path.equals("/actuator") || path.startsWith("/actuator/") || path.equals("/api/v1/health")) {
            return Optional.empty();
        }
        if (!path.startsWith(PilotProtocol.BASE_PATH + "/")) {
            return Optional.of(USER_API);
        }
        return Optional.of(switch (path) {
            case PilotProtocol.REGISTER -> REGISTRATION;
            case PilotProtocol.LEASE -> LEASE;
            case PilotProtocol.HEARTBEAT, PilotProtocol.BYE -> HEARTBEAT;
            // completions, and the attempt calls: inputs, outputs, checkpoints, logs
            default -> COMPLETION;
        });
    }
}
