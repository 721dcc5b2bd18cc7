package org.escadrille.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-15T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final StringWriter err = new StringWriter();
    private final ManualClock clock = new ManualClock();

    @Test
    void inALogALineIsWrittenOnEachMilestoneAndEveryFewSeconds() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), false, clock);

        bar.show("Running 1", "Running 1 at 0s");
        clock.advance(Duration.ofSeconds(1));
        bar.show("Running 1", "Running 1 at 1s");
        bar.show("Running 2", "Running 2 at 1s");
        clock.advance(Duration.ofSeconds(5));
        bar.show("Running 2", "Running 2 at 6s");
        bar.finish("Finished");

        assertThat(err.toString()).isEqualTo("Running 1 at 0s\nRunning 2 at 1s\nRunning 2 at 6s\nFinished\n");
    }

    @Test
    void aLineThatWouldNotBeDrawnIsNeverMade() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true, clock);
        var made = new AtomicInteger();

        bar.show("a", () -> "line " + made.incrementAndGet());
        for (int i = 0; i < 1000; i++) {
            bar.show("a", () -> "line " + made.incrementAndGet());
        }

        assertThat(made).hasValue(1);
        assertThat(err.toString()).isEqualTo("\rline 1");
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndErasesALongerOne() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true, clock);

        bar.show("a", "Running 10 s");
        clock.advance(Duration.ofSeconds(1));
        bar.show("a", "Ran 11 s");
        bar.finish("Done");

        assertThat(err.toString()).isEqualTo("\rRunning 10 s\rRan 11 s    \rDone    \n");
    }

    @Test
    void onATerminalRedrawsAreThrottled() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true, clock);

        bar.show("a", "one");
        clock.advance(Duration.ofMillis(20));
        bar.show("a", "two");

        assertThat(err.toString()).isEqualTo("\rone");
    }
}
