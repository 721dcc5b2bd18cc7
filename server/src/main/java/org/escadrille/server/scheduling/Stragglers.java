package org.escadrille.server.scheduling;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The durations of each execution's successful attempts, to tell a straggler: an attempt running
 * longer than {@code factor} times the median of its siblings (and longer than a floor) is worth a
 * replica elsewhere. Not thread-safe: called under the {@link SchedulerState} lock.
 *
 * <p>The scan that asks runs every two seconds over every running lease, under the scheduler's lock, so
 * an answer must cost a comparison, not a sort: the floor is checked first, and each execution's median
 * is computed once after its samples changed, not once per lease. Sorting the last 1,000 samples for
 * each running lease held the lock 20 ms a scan with 1,000 attempts running and 169 ms with 10,000, while
 * every lease request and completion waited; now 0.2 and 1.8 µs ({@code bench/run scans}, bench/README.md).
 */
final class Stragglers {
    private static final int KEEP = 1_000;
    private static final int MIN_SAMPLES = 3;

    private final double factor;
    private final long floorMs;
    private final Map<String, Samples> durations = new HashMap<>();

    Stragglers(double factor, long floorMs) {
        this.factor = factor;
        this.floorMs = floorMs;
    }

    void finished(String executionId, long durationMs) {
        durations.computeIfAbsent(executionId, id -> new Samples()).add(durationMs);
    }

    /** Whether an attempt of this execution running for {@code runningMs} is a straggler. */
    boolean isStraggler(String executionId, long runningMs) {
        if (factor <= 0 || runningMs <= floorMs) {
            return false;
        }
        var samples = durations.get(executionId);
        if (samples == null || samples.count < MIN_SAMPLES) {
            return false;
        }
        return runningMs > factor * samples.median();
    }

    void forget(String executionId) {
        durations.remove(executionId);
    }

    /** The last {@value #KEEP} durations of one execution, in a ring, and their median once asked for. */
    private static final class Samples {
        private final long[] ring = new long[KEEP];
        private int count;
        private int next;
        /** The median of the samples as they are, or -1 once a sample came after it was computed. */
        private long median = -1;

        void add(long durationMs) {
            ring[next] = durationMs;
            next = (next + 1) % KEEP;
            count = Math.min(KEEP, count + 1);
            median = -1;
        }

        long median() {
            if (median < 0) {
                long[] sorted = Arrays.copyOf(ring, count);
                Arrays.sort(sorted);
                median = sorted[count / 2];
            }
            return median;
        }
    }
}
