package org.escadrille.pilot;

import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Reads the output of the POSIX {@code times} builtin: its second line is the user and system CPU
 * time of the shell's children, which includes every descendant that was waited for, even a
 * grandchild long gone.
 */
final class ShellTimes {
    /** {@code 1m2.345s} (dash, bash), {@code 1m2s}, or a bare number of seconds. */
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(\\d+(?:[.,]\\d*)?)s?");

    private ShellTimes() {
    }

    /** The children's user + system seconds, or empty when the text is not what {@code times} prints. */
    static OptionalDouble childrenCpuSeconds(String timesOutput) {
        String[] lines = timesOutput.strip().split("\\R");
        if (lines.length < 2) {
            return OptionalDouble.empty();
        }
        String[] fields = lines[1].trim().split("\\s+");
        if (fields.length < 2) {
            return OptionalDouble.empty();
        }
        double total = 0;
        for (int i = 0; i < 2; i++) {
            var matcher = DURATION.matcher(fields[i]);
            if (!matcher.matches()) {
                return OptionalDouble.empty();
            }
            total += (matcher.group(1) == null ? 0 : Long.parseLong(matcher.group(1)) * 3600)
                    + (matcher.group(2) == null ? 0 : Long.parseLong(matcher.group(2)) * 60)
                    + Double.parseDouble(matcher.group(3).replace(',', '.'));
        }
        return OptionalDouble.of(total);
    }
}
