package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheCapAndStartOverAfterAReset() {
        var backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1));

        assertThat(backoff.nextDelayMs()).isEqualTo(250);
        assertThat(backoff.nextDelayMs()).isEqualTo(500);
        assertThat(backoff.nextDelayMs()).isEqualTo(1000);
        assertThat(backoff.nextDelayMs()).isEqualTo(1000);
        backoff.reset();
        assertThat(backoff.nextDelayMs()).isEqualTo(250);
    }

    @RepeatedTest(20)
    void aBusyServersWaitIsItsRetryAfterPlusFullJitterWithinTheCappedWindow() {
        var backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1), new SplittableRandom());
        long[] windows = {250, 500, 1000, 1000};

        for (long window : windows) {
            assertThat(backoff.afterBusyMs(Duration.ofSeconds(2))).isBetween(2_000L, 2_000L + window);
        }
    }

    @Test
    void theJitterSpreadsPilotsShedTogether() {
        var random = new SplittableRandom(7);
        var waits = new java.util.HashSet<Long>();
        for (int pilot = 0; pilot < 100; pilot++) {
            waits.add(new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), random).afterBusyMs(Duration.ofSeconds(1)));
        }

        assertThat(waits).hasSizeGreaterThan(50);
    }
}
