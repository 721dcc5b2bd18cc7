package org.escadrille.pilot;

import java.time.Duration;

/**
 * Exponential delays between retries of one loop, from {@code initial} doubling up to {@code cap};
 * {@link #reset()} after a success. Owned by the single thread that runs the loop.
 */
final class Backoff {
    private final long initialMs;
    private final long capMs;
    private long nextMs;

    Backoff(Duration initial, Duration cap) {
        this.initialMs = initial.toMillis();
        this.capMs = cap.toMillis();
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

    void reset() {
        nextMs = initialMs;
    }
}
