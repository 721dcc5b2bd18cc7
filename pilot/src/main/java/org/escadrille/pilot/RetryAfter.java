package org.escadrille.pilot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} of a busy server (RFC 9110 §10.2.3): a number of seconds or an HTTP date.
 * A server that sheds load says how long to stay away; the pilot waits at least that long, and no more
 * than {@link #LONGEST}, so that a wrong header cannot park a pilot for a day.
 */
final class RetryAfter {
    static final Duration LONGEST = Duration.ofMinutes(5);

    private RetryAfter() {
    }

    /** The wait the header asks for, or empty when there is none or it says nothing usable. */
    static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        Duration wait;
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            wait = value.length() > 9 ? LONGEST : Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                Instant until = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                wait = Duration.between(clock.instant(), until);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return Optional.of(wait.compareTo(LONGEST) > 0 ? LONGEST : wait);
    }
}
