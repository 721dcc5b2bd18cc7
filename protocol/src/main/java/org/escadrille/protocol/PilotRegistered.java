package org.escadrille.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The server's answer to a registration: the pilot's id, how often to heartbeat, how long a lease
 * lasts without one, and which of the attempts it said it runs are still its own (the others it
 * must abandon: they were requeued while the server was away).
 */
public record PilotRegistered(
        String pilotId,
        long heartbeatIntervalMs,
        long leaseMs,
        List<String> adoptedAttempts) {

    public PilotRegistered {
        Objects.requireNonNull(pilotId, "pilotId");
        if (heartbeatIntervalMs <= 0 || leaseMs <= 0) {
            throw new IllegalArgumentException("intervals must be positive");
        }
        adoptedAttempts = adoptedAttempts == null ? List.of() : List.copyOf(adoptedAttempts);
    }
}
