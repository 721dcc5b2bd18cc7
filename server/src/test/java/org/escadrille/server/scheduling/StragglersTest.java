package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The straggler rule on its own: three times the median of the last 1,000 successes, and past a floor. */
class StragglersTest {
    private final Stragglers stragglers = new Stragglers(3.0, 1_000);

    @Test
    void anAttemptIsAStragglerPastThreeTimesTheMedianOfItsExecution() {
        finish("e", 3, 1_000);

        assertThat(stragglers.isStraggler("e", 3_000)).isFalse();
        assertThat(stragglers.isStraggler("e", 3_001)).isTrue();
        assertThat(stragglers.isStraggler("other", 60_000)).as("another execution, no samples").isFalse();
    }

    @Test
    void fewerThanThreeSamplesSayNothing() {
        finish("e", 2, 1_000);

        assertThat(stragglers.isStraggler("e", 60_000)).isFalse();
    }

    @Test
    void nothingBelowTheFloorIsAStraggler() {
        finish("e", 5, 10);

        assertThat(stragglers.isStraggler("e", 1_000)).isFalse();
        assertThat(stragglers.isStraggler("e", 1_001)).isTrue();
    }

    @Test
    void theMedianFollowsSamplesThatCameAfterItWasRead() {
        finish("e", 3, 1_000);
        assertThat(stragglers.isStraggler("e", 5_000)).isTrue();

        finish("e", 10, 10_000);

        assertThat(stragglers.isStraggler("e", 5_000)).as("the median is now 10 s").isFalse();
        assertThat(stragglers.isStraggler("e", 30_001)).isTrue();
    }

    @Test
    void onlyTheLastThousandSamplesCount() {
        finish("e", 1_000, 100_000);
        assertThat(stragglers.isStraggler("e", 200_000)).isFalse();

        finish("e", 1_000, 2_000);

        assertThat(stragglers.isStraggler("e", 6_001)).as("the 100 s samples have all rolled out").isTrue();
    }

    @Test
    void aForgottenExecutionHasNoSamples() {
        finish("e", 3, 1_000);

        stragglers.forget("e");

        assertThat(stragglers.isStraggler("e", 60_000)).isFalse();
    }

    @Test
    void aFactorOfZeroTurnsReplicationOff() {
        var off = new Stragglers(0, 1_000);
        for (int i = 0; i < 3; i++) {
            off.finished("e", 1_000);
        }

        assertThat(off.isStraggler("e", 60_000)).isFalse();
    }

    private void finish(String executionId, int times, long durationMs) {
        for (int i = 0; i < times; i++) {
            stragglers.finished(executionId, durationMs);
        }
    }
}
