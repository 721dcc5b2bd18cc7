package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import org.escadrille.server.EscadrilleProperties;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private final ManualTime time = new ManualTime();
    private final SignInThrottle throttle = new SignInThrottle(
            new EscadrilleProperties.SignIn(3, 5, 4, Duration.ofMinutes(3)), time);

    /** A clock that moves only when told to. */
    static final class ManualTime implements TimeMeter {
        private long nanos;

        void advance(Duration duration) {
            nanos += duration.toNanos();
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    @Test
    void anAccountOutOfTriesWaitsUntilOneComesBack() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.signInWait("alice", "10.0.0." + i)).isEmpty();
            throttle.signInFailed("alice", "10.0.0." + i);
        }

        assertThat(throttle.signInWait("alice", "10.0.0.9")).as("from any address").hasValue(Duration.ofMinutes(1));
        assertThat(throttle.signInWait("bob", "10.0.0.9")).as("another account").isEmpty();

        time.advance(Duration.ofSeconds(59));
        assertThat(throttle.signInWait("alice", "10.0.0.9")).hasValue(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(1));
        assertThat(throttle.signInWait("alice", "10.0.0.9")).isEmpty();
    }

    @Test
    void anAddressOutOfTriesWaitsWhateverAccountItTries() {
        for (int i = 0; i < 5; i++) {
            throttle.signInFailed("user" + i, "192.0.2.1");
        }

        assertThat(throttle.signInWait("someone-else", "192.0.2.1")).hasValueSatisfying(
                wait -> assertThat(wait).isPositive());
        assertThat(throttle.signInWait("someone-else", "192.0.2.2")).isEmpty();
    }

    @Test
    void accountNamesAreComparedAsTheDatabaseDoes() {
        for (int i = 0; i < 3; i++) {
            throttle.signInFailed(i % 2 == 0 ? "Alice " : "alice", "10.1.0." + i);
        }

        assertThat(throttle.signInWait("alice", "10.1.0.9")).isPresent();
    }

    @Test
    void badApiKeysAreRationedPerAddress() {
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.apiKeyWait("198.51.100.7")).isEmpty();
            throttle.apiKeyFailed("198.51.100.7");
        }

        assertThat(throttle.apiKeyWait("198.51.100.7")).hasValue(Duration.ofSeconds(45));
        assertThat(throttle.apiKeyWait("198.51.100.8")).isEmpty();
        assertThat(SignInThrottle.seconds(Duration.ofMillis(44_001))).isEqualTo(45);
    }
}
