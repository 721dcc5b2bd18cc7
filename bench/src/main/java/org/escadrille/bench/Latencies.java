package org.escadrille.bench;

import java.util.Arrays;

/**
 * Latencies of one kind of request, in microseconds: recorded by one client thread each, merged at the
 * end, then read as percentiles (nearest rank: the smallest value with at least p% of them at or below).
 */
final class Latencies {
    private long[] values = new long[256];
    private int count;
    private int errors;
    private boolean sorted;

    void record(long micros, boolean ok) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = micros;
        if (!ok) {
            errors++;
        }
        sorted = false;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            record(other.values[i], true);
        }
        errors += other.errors;
    }

    int count() {
        return count;
    }

    int errors() {
        return errors;
    }

    /** The p-th percentile (0 < p ≤ 100) in milliseconds; NaN when nothing was recorded. */
    double percentileMs(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100 * count);
        return values[Math.max(0, Math.min(count, rank) - 1)] / 1000.0;
    }
}
