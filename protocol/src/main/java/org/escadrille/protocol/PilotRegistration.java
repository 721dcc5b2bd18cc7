package org.escadrille.protocol;

import java.util.List;
import java.util.Objects;

/**
 * What a pilot says of itself when it starts, once: its identity comes from its registration token,
 * which this registration spends, and its host and tags are fixed by it. The rest is what the
 * matcher needs: free capacity, tags, and the attempts it still runs (empty today: after a server
 * restart a pilot goes on with its session token and its leases are recovered; older pilots
 * re-registered with them).
 *
 * @param sandboxed whether the pilot runs every host task in a sandbox (bubblewrap: no data directory,
 *                  no other process, no network unless granted); older pilots do not say, which reads as false
 * @param cpuModel  the host's processor as the system names it (Linux: {@code model name} in {@code /proc/cpuinfo}),
 *                  for the power per core of the footprint; null when unknown (older pilots do not say)
 */
public record PilotRegistration(
        String host,
        int slots,
        long memoryMb,
        List<String> tags,
        String pilotVersion,
        String javaVersion,
        List<String> runningAttempts,
        boolean sandboxed,
        String cpuModel) {

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
        this(host, slots, memoryMb, tags, pilotVersion, javaVersion, runningAttempts, false, null);
    }

    /** A registration that does not name its processor (as older pilots send it). */
    public PilotRegistration(String host, int slots, long memoryMb, List<String> tags, String pilotVersion,
                             String javaVersion, List<String> runningAttempts, boolean sandboxed) {
        this(host, slots, memoryMb, tags, pilotVersion, javaVersion, runningAttempts, sandboxed, null);
    }
}
