package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyLocksTest {
    private final KeyLocks locks = new KeyLocks();

    @Test
    void writesOfOneKeyTakeTurnsAndWritesOfOthersDoNotWait() throws Exception {
        var inside = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var first = CompletableFuture.runAsync(() -> with("users/a/x", () -> {
            inside.countDown();
            waitFor(release);
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        var secondDone = new CountDownLatch(1);
        Thread second = Thread.ofPlatform().start(() -> with("users/a/x", secondDone::countDown));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.getState() == Thread.State.WAITING);
        with("users/a/y", () -> { });

        assertThat(secondDone.getCount()).as("the same key waits for the first write").isEqualTo(1);
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThat(secondDone.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aKeyIsForgottenOnceNoWriterUsesIt() throws Exception {
        locks.with("users/a/x", () -> null);

        assertThat(locks.busy("users/a/x")).isFalse();
    }

    private void with(String key, Runnable work) {
        try {
            locks.with(key, () -> {
                work.run();
                return null;
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
