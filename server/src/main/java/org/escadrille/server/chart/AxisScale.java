package org.escadrille.server.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear scale from data values to drawing units, widened to round bounds, with the round values
 * where an axis puts its ticks. Numbers step by 1, 2 or 5 times a power of ten; durations by steps a
 * clock reader expects (seconds, then minutes, then hours).
 */
public record AxisScale(double min, double max, double from, double to, List<Double> ticks) {
    private static final double[] DURATION_STEPS = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
            10800, 21600, 43200, 86400};

    /** A scale for numbers in [dataMin, dataMax], drawn from {@code from} to {@code to}. */
    public static AxisScale numbers(double dataMin, double dataMax, double from, double to, int maxTicks) {
        if (dataMax <= dataMin) {
            double pad = dataMin == 0 ? 1 : Math.abs(dataMin) * 0.1;
            dataMin -= pad;
            dataMax += pad;
        }
        double rough = (dataMax - dataMin) / Math.max(1, maxTicks - 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = magnitude * 10;
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * magnitude >= rough) {
                step = factor * magnitude;
                break;
            }
        }
        return withStep(Math.floor(dataMin / step) * step, Math.ceil(dataMax / step) * step, step, from, to);
    }

    /**
     * A scale for numbers drawn exactly from {@code dataMin} to {@code dataMax} (no widening: a histogram's
     * first and last bins touch the frame), with ticks at the round values inside.
     */
    public static AxisScale numbersWithin(double dataMin, double dataMax, double from, double to, int maxTicks) {
        var rounded = numbers(dataMin, dataMax, from, to, maxTicks);
        if (dataMax <= dataMin) {
            return rounded;
        }
        double epsilon = (dataMax - dataMin) * 1e-9;
        var inside = rounded.ticks().stream().filter(t -> t >= dataMin - epsilon && t <= dataMax + epsilon).toList();
        return new AxisScale(dataMin, dataMax, from, to, inside);
    }

    /** A scale for durations in seconds from 0 to {@code seconds}. */
    public static AxisScale duration(double seconds, double from, double to, int maxTicks) {
        double span = Math.max(seconds, 0.1);
        double step = DURATION_STEPS[DURATION_STEPS.length - 1];
        for (double candidate : DURATION_STEPS) {
            if (span / candidate <= maxTicks - 1) {
                step = candidate;
                break;
            }
        }
        return withStep(0, Math.ceil(span / step) * step, step, from, to);
    }

    private static AxisScale withStep(double min, double max, double step, double from, double to) {
        var ticks = new ArrayList<Double>();
        for (int i = 0; min + i * step <= max + step * 1e-9; i++) {
            ticks.add(min + i * step);
        }
        return new AxisScale(min, max, from, to, ticks);
    }

    /** Where a value is drawn. */
    public double at(double value) {
        return from + (value - min) / (max - min) * (to - from);
    }

    /** A coordinate to a tenth of a unit: plenty for a screen, and short in the page. */
    public static double tenth(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** A tick's label: digits enough to tell ticks apart, no trailing zeros. */
    public static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e5 || magnitude < 1e-3) {
            return String.format(Locale.ROOT, "%.2g", value);
        }
        return String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** A duration tick's label: 0.5 s, 45 s, 2 min, 1 min 30 s, 2 h. */
    public static String duration(double seconds) {
        if (seconds < 10 && Math.abs(seconds - Math.rint(seconds)) > 1e-9) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
        }
        return s % 3600 == 0 ? s / 3600 + " h" : s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
