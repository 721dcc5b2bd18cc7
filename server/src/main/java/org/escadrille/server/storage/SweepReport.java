package org.escadrille.server.storage;

import java.util.List;

/**
 * What one pass of the {@link OrphanSweeper} did: how many objects it looked at under the owned prefixes,
 * which it removed (the first {@value #LISTED} keys, and how many and how many bytes in all), how many
 * unfinished uploads it removed, and what it could not remove, with why.
 */
public record SweepReport(long startedAtMs, long endedAtMs, long graceSeconds, int examined, int removed,
                          long removedBytes, List<String> removedKeys, int abandonedUploads, List<String> failures) {
    static final int LISTED = 100;

    public SweepReport {
        removedKeys = List.copyOf(removedKeys);
        failures = List.copyOf(failures);
    }
}
