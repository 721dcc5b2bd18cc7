package org.escadrille.protocol;

import java.util.List;
import java.util.Objects;

/**
 * What a pilot says of itself when it starts, once: its identity comes from its registration token,
 * which this registration spends, and its host and tags are fixed by it. The rest is what the
 * matcher needs: free capacity, tags, and the attempts it still runs (empty today: after a server
 * restart a pilot goes on with its session token and its leases are recovered; older pilots
 * re-registered with them).
 */
public record PilotRegistration(
        String host,
        int slots,
        long memoryMb,
        List<String> tags,
        String pilotVersion,
        String javaVersion,
        List<String> runningAttempts) {

    public PilotRegistration {
        Objects.requireNonNull(host, "host");
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
        runningAttempts = runningAttempts == null ? List.of() : List.copyOf(runningAttempts);
    }
}
