package org.escadrille.protocol;

import java.util.List;
import java.util.Objects;

/**
 * What a pilot says of itself when it starts. Its identity comes from its token; the rest is what
 * the matcher needs: free capacity, tags, and the attempts it still runs (after a server restart a
 * pilot re-registers with them, so the server re-adopts instead of requeueing).
 *
 * @param sandboxed whether the pilot runs every host task in a sandbox (bubblewrap: no data directory,
 *                  no other process, no network unless granted); older pilots do not say, which reads as false
 */
public record PilotRegistration(
        String host,
        int slots,
        long memoryMb,
        List<String> tags,
        String pilotVersion,
        String javaVersion,
        List<String> runningAttempts,
        boolean sandboxed) {

    public PilotRegistration {
        Objects.requireNonNull(host, "host");
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
        runningAttempts = runningAttempts == null ? List.of() : List.copyOf(runningAttempts);
    }

    /** A registration that does not say whether its tasks are sandboxed (as older pilots send it). */
    public PilotRegistration(String host, int slots, long memoryMb, List<String> tags, String pilotVersion,
                             String javaVersion, List<String> runningAttempts) {
        this(host, slots, memoryMb, tags, pilotVersion, javaVersion, runningAttempts, false);
    }
}
