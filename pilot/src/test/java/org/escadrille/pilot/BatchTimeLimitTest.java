package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * When a pilot in a batch job with a wall-clock limit may still lease: while a task as long as the
 * longest it has seen, plus 10% and 30 s, would end before the limit.
 */
class BatchTimeLimitTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void withoutALimitThePilotAlwaysLeases() {
        var none = new BatchTimeLimit(clock, Duration.ZERO);
        none.leased("a1");
        clock.advance(Duration.ofDays(3));
        none.ended("a1");
        clock.advance(Duration.ofDays(300));

        assertThat(none.isSet()).isFalse();
        assertThat(none.allowsLeasing()).isTrue();
        assertThat(none.leaseWindowMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aTaskWhoseDescriptorExpectsItToRunLongCountsAsSeenFromItsLease() {
        var limit = new BatchTimeLimit(clock, Duration.ofHours(1));

        limit.leased("long", Duration.ofMinutes(20).toMillis());

        assertThat(limit.longestTask()).isEqualTo(Duration.ofMinutes(20));
        // 60 min left, 22.5 needed (20 min + 10% + 30 s): leasing stops 37.5 min in, not 59.5.
        clock.advance(Duration.ofMinutes(37).plusSeconds(30));
        assertThat(limit.allowsLeasing()).isFalse();
    }

    @Test
    void beforeAnyTaskHasEndedOnlyTheMarginIsKeptFree() {
        var limit = new BatchTimeLimit(clock, Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(9).plusSeconds(29));
        assertThat(limit.allowsLeasing()).isTrue();
        assertThat(limit.leaseWindowMs()).isEqualTo(1_000);

        clock.advance(Duration.ofSeconds(1));
        assertThat(limit.allowsLeasing()).isFalse();
    }

    @Test
    void leasingStopsWhenTheTimeLeftIsShorterThanTheLongestTaskWithItsMargin() {
        var limit = new BatchTimeLimit(clock, Duration.ofHours(1));
        limit.leased("short");
        limit.leased("long");
        clock.advance(Duration.ofMinutes(2));
        limit.ended("short");
        clock.advance(Duration.ofMinutes(8));
        limit.ended("long");

        assertThat(limit.longestTask()).isEqualTo(Duration.ofMinutes(10));
        // Ten minutes in: 50 left, 11.5 needed (10 min + 10% + 30 s).
        assertThat(limit.allowsLeasing()).isTrue();
        clock.advance(Duration.ofMinutes(38).plusSeconds(29));
        assertThat(limit.allowsLeasing()).as("11 min 31 s left").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limit.allowsLeasing()).as("11 min 30 s left").isFalse();
    }

    @Test
    void aTaskThatFailedLateCountsAsLongAsOneThatSucceeded() {
        var limit = new BatchTimeLimit(clock, Duration.ofHours(2));
        limit.leased("failed");
        clock.advance(Duration.ofMinutes(50));
        limit.ended("failed");

        // 70 min left, 55.5 min needed; then 55 min left.
        assertThat(limit.allowsLeasing()).isTrue();
        clock.advance(Duration.ofMinutes(15));
        assertThat(limit.allowsLeasing()).isFalse();
    }

    @Test
    void theLeaseWindowShrinksWithTheClockSoALongPollEndsInTime() {
        var limit = new BatchTimeLimit(clock, Duration.ofMinutes(5));

        assertThat(limit.leaseWindowMs()).isEqualTo(Duration.ofSeconds(270).toMillis());
        clock.advance(Duration.ofSeconds(250));
        assertThat(limit.leaseWindowMs()).isEqualTo(20_000);
        assertThat(limit.left()).isEqualTo(Duration.ofSeconds(50));
    }
}
