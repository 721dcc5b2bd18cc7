package org.escadrille.server.execution;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The CPU and wall seconds of every attempt of an execution, summed. A running execution's sum is
 * reused for up to {@link #FRESH_MS}: the CLI and the portal poll a view several times a second, and
 * the sum over tens of thousands of attempts was the server's largest cost in the dispatch benchmark.
 * An ended execution's sum is read every time (it no longer changes, and it is read rarely).
 */
final class UsageSums {
    static final long FRESH_MS = 2_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, Sum> recent = new ConcurrentHashMap<>();

    UsageSums(Clock clock) {
        this.clock = clock;
    }

    /** {@code {cpu seconds, wall seconds}}, from {@code read} or from a sum read less than {@link #FRESH_MS} ago. */
    double[] of(String executionId, boolean ended, Supplier<double[]> read) {
        if (ended) {
            recent.remove(executionId);
            return read.get();
        }
        long now = clock.millis();
        Sum cached = recent.get(executionId);
        // A clock set back makes the sum stale rather than fresh for as long.
        if (cached != null && now >= cached.atMs() && now - cached.atMs() < FRESH_MS) {
            return cached.usage();
        }
        double[] usage = read.get();
        recent.put(executionId, new Sum(now, usage));
        return usage;
    }

    private record Sum(long atMs, double[] usage) {
    }
}
