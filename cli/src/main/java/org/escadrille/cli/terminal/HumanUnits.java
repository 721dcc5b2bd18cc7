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

    /** Energy and carbon, e.g. {@code 9.91 Wh, 0.495 g CO2e}, in units that keep a few significant digits. */
    public static String footprint(double energyWh, double carbonGrams) {
        String energy = energyWh >= 1000 ? significant(energyWh / 1000) + " kWh" : significant(energyWh) + " Wh";
        String carbon = carbonGrams >= 1000 ? significant(carbonGrams / 1000) + " kg CO2e" : significant(carbonGrams) + " g CO2e";
        return energy + ", " + carbon;
    }

    /** Three significant digits (at least one decimal place under 100), no exponent. */
    static String significant(double value) {
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        int decimals = magnitude >= 100 ? 0 : Math.max(1, 2 - (int) Math.floor(Math.log10(magnitude)));
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 8) + "f", value);
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
