package org.escadrille.server.backend.remote;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns arguments into one line for a POSIX shell (what an SSH server runs a command with), each word
 * exactly as given: every argument is single-quoted, and a single quote inside is written {@code '\''}.
 */
public final class ShellQuoting {
    private ShellQuoting() {
    }

    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell argument cannot contain a NUL character");
        }
        if (!word.isEmpty() && word.chars().allMatch(ShellQuoting::plain)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String line(List<String> words) {
        return words.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }

    /** Characters no POSIX shell gives a meaning to, so that common arguments stay readable in logs. */
    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-_./,:+@".indexOf(c) >= 0;
    }
}
