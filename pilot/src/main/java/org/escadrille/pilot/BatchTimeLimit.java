package org.escadrille.pilot;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wall-clock limit of the batch job a pilot runs in ({@code --time-limit}), counted from the
 * pilot's start. The batch system kills the job at the limit, and a task killed then is lost (the
 * server requeues it once its lease expires) with all it had done: so the pilot leases a task only
 * while one as long as the longest it has seen, with a margin, would still end before the limit.
 * Past that point it leases nothing more, lets its tasks finish and leaves; it never kills a task
 * itself (one that outlives the limit is the batch system's to kill).
 *
 * <p>What a task takes is measured from its lease to its end (staging, running, uploading). Before any
 * task has ended only the margin counts: the assignments carry a time limit, which is an upper bound
 * that most tasks are far from, not an expected duration; a descriptor's {@code walltime-estimate} is
 * one, and counts as a task seen from the moment one is leased.
 */
final class BatchTimeLimit {
    /** Added to the longest task seen: slower nodes, larger inputs, a slow upload. */
    static final double SLACK = 0.10;
    static final Duration MARGIN = Duration.ofSeconds(30);

    private final Clock clock;
    private final long endMs;
    private final AtomicLong longestTaskMs = new AtomicLong();
    private final Map<String, Long> leasedAtMs = new ConcurrentHashMap<>();

    /** @param limit the batch job's limit from now; zero for none */
    BatchTimeLimit(Clock clock, Duration limit) {
        this.clock = clock;
        this.endMs = limit.isZero() ? Long.MAX_VALUE : clock.millis() + limit.toMillis();
    }

    boolean isSet() {
        return endMs != Long.MAX_VALUE;
    }

    /** An attempt was leased: its duration counts from now. */
    void leased(String attemptId) {
        leased(attemptId, 0);
    }

    /**
     * An attempt was leased whose descriptor expects it to run {@code expectedMs} (0: not said): tasks
     * as long are taken to come, as if one had been seen.
     */
    void leased(String attemptId, long expectedMs) {
        if (isSet()) {
            leasedAtMs.put(attemptId, clock.millis());
            longestTaskMs.accumulateAndGet(expectedMs, Math::max);
        }
    }

    /** An attempt ended, whatever its outcome (a task that failed after an hour took an hour). */
    void ended(String attemptId) {
        Long since = leasedAtMs.remove(attemptId);
        if (since != null) {
            longestTaskMs.accumulateAndGet(clock.millis() - since, Math::max);
        }
    }

    /** The longest attempt this pilot has seen, from its lease to its end. */
    Duration longestTask() {
        return Duration.ofMillis(longestTaskMs.get());
    }

    /**
     * How long from now the pilot may still lease: the time left before the limit, less a task as
     * long as the longest seen, its slack and the margin. Zero or less: lease no more. Without a
     * limit, {@code Long.MAX_VALUE}.
     */
    long leaseWindowMs() {
        if (!isSet()) {
            return Long.MAX_VALUE;
        }
        long needed = Math.round(longestTaskMs.get() * (1 + SLACK)) + MARGIN.toMillis();
        return endMs - clock.millis() - needed;
    }

    boolean allowsLeasing() {
        return leaseWindowMs() > 0;
    }

    /** The time left before the limit (negative once past it). */
    Duration left() {
        return isSet() ? Duration.ofMillis(endMs - clock.millis()) : Duration.ofMillis(Long.MAX_VALUE);
    }
}
