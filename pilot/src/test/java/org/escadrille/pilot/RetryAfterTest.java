package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-05T03:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsSecondsAndHttpDates() {
        assertThat(RetryAfter.parse("3", clock)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse(" 0 ", clock)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Sat, 05 Dec 2026 03:00:10 GMT", clock)).contains(Duration.ofSeconds(10));
    }

    @Test
    void aDateInThePastMeansNow() {
        assertThat(RetryAfter.parse("Sat, 05 Dec 2026 02:00:00 GMT", clock)).contains(Duration.ZERO);
    }

    @Test
    void aWaitPastFiveMinutesIsCutThere() {
        assertThat(RetryAfter.parse("86400", clock)).contains(RetryAfter.LONGEST);
        assertThat(RetryAfter.parse("99999999999999999999", clock)).contains(RetryAfter.LONGEST);
    }

    @Test
    void nothingUsableIsNoWait() {
        assertThat(RetryAfter.parse(null, clock)).isEmpty();
        assertThat(RetryAfter.parse("", clock)).isEmpty();
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        assertThat(RetryAfter.parse("-1", clock)).isEmpty();
    }
}
