package org.escadrille.cli.terminal;

import java.time.Duration;
import java.util.Locale;

/** Sizes and durations the way people read them: {@code 12.3 MiB}, {@code 3.2 s}, {@code 4 min 05 s}. */
public final class HumanUnits {
    private static final String[] BINARY_UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private HumanUnits() {
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BINARY_UNITS[unit]);
    }

    public static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    }

    /** CPU time, which is summed over tasks and so may exceed any wall time. */
    public static String cpuSeconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f CPU·s", seconds);
    }

    /** {@code 1 task}, {@code 3 tasks}. */
    public static String count(long n, String singular) {
        return n + " " + (n == 1 ? singular : singular + "s");
    }
}
