package org.escadrille.boutiques;

import java.util.Objects;

/**
 * One thing wrong with a descriptor or an invocation: where it is (a JSON pointer into the
 * document, {@code ""} for the whole document) and what is wrong, in words a tool author understands.
 */
public record Problem(String location, String message) {

    public Problem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    /** A problem at {@code location} whose message is {@code String.format(format, args)}. */
    public static Problem at(String location, String format, Object... args) {
        return new Problem(location, args.length == 0 ? format : String.format(format, args));
    }

    @Override
    public String toString() {
        return (location.isEmpty() ? "(top level)" : location) + ": " + message;
    }
}
