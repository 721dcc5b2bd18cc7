package org.escadrille.pilot;

import java.util.ArrayDeque;

/**
 * How long this pilot's recent commands ran. While they are short (median under
 * {@link #SHORT_BELOW_MS}), the per-task overhead is what matters: the pilot queues tasks behind its
 * slots and starts simple commands without a shell. Long tasks get the shell wrapper, whose CPU time
 * of the whole process tree is exact, and no queue, which would hold tasks another pilot could run.
 */
final class RecentRuns {
    static final long SHORT_BELOW_MS = 1_000;
    private static final int KEPT = 16;
    private static final int ENOUGH = 4;

    private final ArrayDeque<Long> runsMs = new ArrayDeque<>();

    synchronized void ran(long ms) {
        runsMs.addLast(ms);
        if (runsMs.size() > KEPT) {
            runsMs.removeFirst();
        }
    }

    /** True once a few commands have run, and half of the recent ones took less than {@link #SHORT_BELOW_MS}. */
    synchronized boolean areShort() {
        long median = medianMs();
        return median >= 0 && median < SHORT_BELOW_MS;
    }

    /** The median of the recent commands' run times, or -1 before a few have run. */
    synchronized long medianMs() {
        if (runsMs.size() < ENOUGH) {
            return -1;
        }
        long[] sorted = runsMs.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
