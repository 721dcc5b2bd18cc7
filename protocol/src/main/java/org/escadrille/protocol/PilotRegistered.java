package org.escadrille.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The server's answer to a registration: the pilot's id, how often to heartbeat, how long a lease
 * lasts without one, and which of the attempts it said it runs are still its own (the others it
 * must abandon: they were requeued while the server was away).
 *
 * @param sessionToken the token for every later call of this registration (the registration token
 *                     that made it is spent); null from a server that predates session tokens, in which
 *                     case the pilot keeps the token it has
 * @param directUploads the server hands out URLs that reach its storage directly (S3's presigned URLs): the
 *                      pilot asks for one per output ({@link PilotProtocol#directOutputPath}) instead of
 *                      sending the bytes through the server; false from older servers and with local storage
 * @param leaseRenewsSession lease replies bring fresh session tokens ({@link LeaseGrant#sessionToken()}) and
 *                      count as heartbeats for a pilot that runs nothing: such a pilot sends no heartbeat while
 *                      its lease requests are answered. False from older servers: it heartbeats every
 *                      second interval, for the token.
 * @param leaseTakesStatuses lease requests may carry the statuses of the pilot's attempts, which the server takes
 *                      as a heartbeat ({@link LeaseRequest#attempts()}): a busy pilot whose lease requests carry
 *                      them heartbeats only when none did lately. False from older servers: it heartbeats every
 *                      interval while it runs something.
 */
public record PilotRegistered(
        String pilotId,
        long heartbeatIntervalMs,
        long leaseMs,
        List<String> adoptedAttempts,
        String sessionToken,
        boolean directUploads,
        boolean leaseRenewsSession,
        boolean leaseTakesStatuses) {

    public PilotRegistered {
        Objects.requireNonNull(pilotId, "pilotId");
        if (heartbeatIntervalMs <= 0 || leaseMs <= 0) {
            throw new IllegalArgumentException("intervals must be positive");
        }
        adoptedAttempts = adoptedAttempts == null ? List.of() : List.copyOf(adoptedAttempts);
    }

    /** An answer of a server whose lease requests carry no heartbeat. */
    public PilotRegistered(String pilotId, long heartbeatIntervalMs, long leaseMs, List<String> adoptedAttempts,
                           String sessionToken, boolean directUploads, boolean leaseRenewsSession) {
        this(pilotId, heartbeatIntervalMs, leaseMs, adoptedAttempts, sessionToken, directUploads, leaseRenewsSession, false);
    }

    /** An answer of a server whose lease replies bring no session token. */
    public PilotRegistered(String pilotId, long heartbeatIntervalMs, long leaseMs, List<String> adoptedAttempts,
                           String sessionToken, boolean directUploads) {
        this(pilotId, heartbeatIntervalMs, leaseMs, adoptedAttempts, sessionToken, directUploads, false, false);
    }

    /** An answer of a server whose storage has no direct URLs. */
    public PilotRegistered(String pilotId, long heartbeatIntervalMs, long leaseMs, List<String> adoptedAttempts,
                           String sessionToken) {
        this(pilotId, heartbeatIntervalMs, leaseMs, adoptedAttempts, sessionToken, false, false, false);
    }

    /** An answer without a session token (the pilot keeps using the token it registered with). */
    public PilotRegistered(String pilotId, long heartbeatIntervalMs, long leaseMs, List<String> adoptedAttempts) {
        this(pilotId, heartbeatIntervalMs, leaseMs, adoptedAttempts, null, false, false, false);
    }
}
