package org.escadrille.server.scheduling;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The durations of each execution's successful attempts, to tell a straggler: an attempt running
 * longer than {@code factor} times the median of its siblings (and longer than a floor) is worth a
 * replica elsewhere. Not thread-safe: called under the {@link SchedulerState} lock.
 */
final class Stragglers {
    private static final int KEEP = 1_000;
    private static final int MIN_SAMPLES = 3;

    private final double factor;
    private final long floorMs;
    private final Map<String, Deque<Long>> durations = new HashMap<>();

    Stragglers(double factor, long floorMs) {
        this.factor = factor;
        this.floorMs = floorMs;
    }

    void finished(String executionId, long durationMs) {
        var recent = durations.computeIfAbsent(executionId, id -> new ArrayDeque<>());
        recent.addLast(durationMs);
        if (recent.size() > KEEP) {
            recent.removeFirst();
        }
    }

    /** Whether an attempt of this execution running for {@code runningMs} is a straggler. */
    boolean isStraggler(String executionId, long runningMs) {
        if (factor <= 0) {
            return false;
        }
        var recent = durations.get(executionId);
        if (recent == null || recent.size() < MIN_SAMPLES) {
            return false;
        }
        long[] sorted = recent.stream().mapToLong(Long::longValue).sorted().toArray();
        long median = sorted[sorted.length / 2];
        return runningMs > Math.max(floorMs, (long) (factor * median));
    }

    void forget(String executionId) {
        durations.remove(executionId);
    }

}
