package org.escadrille.pilot;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential delays between retries of one loop, from {@code initial} doubling up to {@code cap};
 * {@link #reset()} after a success. After a busy server's answer, {@link #afterBusyMs} waits what the
 * server asked plus full jitter over that window. Owned by the single thread that runs the loop.
 */
final class Backoff {
    private final long initialMs;
    private final long capMs;
    private final RandomGenerator random;
    private long nextMs;

    Backoff(Duration initial, Duration cap) {
        this(initial, cap, new SplittableRandom());
    }

    Backoff(Duration initial, Duration cap, RandomGenerator random) {
        this.initialMs = initial.toMillis();
        this.capMs = cap.toMillis();
        this.random = random;
        this.nextMs = initialMs;
    }

    /** The usual pilot backoff: 250 ms, doubling, at most 5 s. */
    static Backoff standard() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    long nextDelayMs() {
        long delay = nextMs;
        nextMs = Math.min(capMs, nextMs * 2);
        return delay;
    }

    /**
     * The wait before retrying a call that a busy server shed: its {@code Retry-After}, then a random
     * extra between 0 and the current window (full jitter, capped), which doubles for each shed in a
     * row. Pilots shed together thus come back spread out, and later each time the server is still busy.
     */
    long afterBusyMs(Duration retryAfter) {
        return retryAfter.toMillis() + random.nextLong(nextDelayMs() + 1);
    }

    void reset() {
        nextMs = initialMs;
    }
}
