package org.escadrille.server.backend;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an engine is told about one site: its name and its engine settings (strings, as an
 * administrator typed them). The typed getters throw {@link IllegalArgumentException} naming the
 * setting and what it should be.
 */
public record SiteConfig(String name, Map<String, String> settings) {
    public SiteConfig {
        Objects.requireNonNull(name, "name");
        settings = Map.copyOf(settings);
    }

    public Optional<String> optional(String key) {
        return Optional.ofNullable(settings.get(key)).map(String::strip).filter(value -> !value.isEmpty());
    }

    public String string(String key, String otherwise) {
        return optional(key).orElse(otherwise);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalArgumentException(
                "site " + name + ": the setting '" + key + "' is required"));
    }

    public int integer(String key, int otherwise, int min, int max) {
        var value = optional(key);
        if (value.isEmpty()) {
            return otherwise;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("site " + name + ": the setting '" + key + "' must be a whole number from "
                    + min + " to " + max + ", not '" + value.get() + "'");
        }
    }

    /** A duration written as ISO-8601 ({@code PT2H}) or as a number with a unit: {@code 90s}, {@code 30m}, {@code 2h}. */
    public Duration duration(String key, Duration otherwise) {
        var value = optional(key);
        if (value.isEmpty()) {
            return otherwise;
        }
        String text = value.get().toLowerCase();
        try {
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase());
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("site " + name + ": the setting '" + key
                    + "' must be a duration such as 90s, 30m, 2h or PT2H, not '" + value.get() + "'");
        }
    }

    /** Refuses settings the engine does not know, so that a typo is not silently ignored. */
    public void onlyKnown(Set<String> known) {
        var unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("site " + name + ": unknown setting(s) " + unknown
                    + "; this kind of site understands " + new TreeSet<>(known));
        }
    }
}
