package org.escadrille.pilot;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The pilot's decision to stop and with which exit code: the first reason given wins, and every
 * loop of the pilot watches it.
 */
final class Termination {
    private static final Logger LOG = Logger.getLogger(Termination.class.getName());

    /** Drained, idle, orphaned or told to stop by a signal. */
    static final int DONE = 0;
    /** A failure the operator must look at (the server refused the registration). */
    static final int FAILED = 1;
    /** The server rejected the token. */
    static final int TOKEN_REJECTED = 3;
    /** Told to stop by SIGTERM (the JVM exits with 128 + 15 whatever the pilot says). */
    static final int SIGNALLED = 143;

    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final CountDownLatch requested = new CountDownLatch(1);

    void request(int code, String reason) {
        if (exitCode.compareAndSet(-1, code)) {
            LOG.info(() -> "pilot stopping: " + reason + " (exit code " + code + ")");
            requested.countDown();
        }
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Waits for a stop to be requested, at most {@code timeout}; true if it was. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exit code chosen, or -1 while none was. */
    int exitCode() {
        return exitCode.get();
    }
}
