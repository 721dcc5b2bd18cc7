package org.escadrille.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.escadrille.server.MovableClock;
import org.junit.jupiter.api.Test;

/** A running execution's usage is summed at most every two seconds; an ended one's every time. */
class UsageSumsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private final UsageSums sums = new UsageSums(clock);
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void aRunningExecutionsSumIsReusedForTwoSeconds() {
        assertThat(sums.of("e1", false, this::read)).containsExactly(1, 1);
        clock.advance(Duration.ofMillis(1_999));
        assertThat(sums.of("e1", false, this::read)).containsExactly(1, 1);

        clock.advance(Duration.ofMillis(1));
        assertThat(sums.of("e1", false, this::read)).containsExactly(2, 2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void anEndedExecutionsSumIsReadEveryTime() {
        sums.of("e1", false, this::read);

        assertThat(sums.of("e1", true, this::read)).containsExactly(2, 2);
        assertThat(sums.of("e1", true, this::read)).containsExactly(3, 3);
    }

    @Test
    void eachExecutionHasItsOwnSum() {
        sums.of("e1", false, this::read);

        assertThat(sums.of("e2", false, this::read)).containsExactly(2, 2);
    }

    @Test
    void aClockSetBackDoesNotKeepAStaleSum() {
        sums.of("e1", false, this::read);

        clock.advance(Duration.ofMinutes(-1));
        assertThat(sums.of("e1", false, this::read)).containsExactly(2, 2);
    }

    private double[] read() {
        int n = reads.incrementAndGet();
        return new double[] {n, n};
    }
}
