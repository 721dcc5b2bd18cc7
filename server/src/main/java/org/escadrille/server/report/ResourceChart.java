package org.escadrille.server.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.escadrille.server.chart.AxisScale;

/**
 * A small horizontal bar chart of one resource (CPU time, wall time, peak memory), one bar per task,
 * each as long as its share of the largest: which tasks cost most shows at a glance.
 */
public record ResourceChart(String id, String title, boolean memory, int width, int height, int left, int right,
                            List<Bar> bars) {
    static final int WIDTH = 900;
    static final int LEFT = 200;
    static final int RIGHT = 110;
    static final int ROW = 16;
    static final int BAR = 11;

    /** A task's bar: its label, where its row is, its length, and its value (seconds, or KiB for memory). */
    public record Bar(String label, int y, double width, double value) {
        /** The value as whole KiB, for a memory chart. */
        public Long kb() {
            return Math.round(value);
        }
    }

    public int barHeight() {
        return BAR;
    }

    static <T> ResourceChart of(String id, String title, boolean memory, List<T> rows, Function<T, String> label,
                                ToDoubleFunction<T> value) {
        double largest = rows.stream().mapToDouble(value).max().orElse(0);
        var bars = new ArrayList<Bar>();
        for (int i = 0; i < rows.size(); i++) {
            var row = rows.get(i);
            double share = largest > 0 ? value.applyAsDouble(row) / largest : 0;
            bars.add(new Bar(label.apply(row), i * ROW + ROW / 2, AxisScale.tenth(share * (WIDTH - LEFT - RIGHT)),
                    value.applyAsDouble(row)));
        }
        return new ResourceChart(id, title, memory, WIDTH, Math.max(ROW, rows.size() * ROW), LEFT, WIDTH - RIGHT, bars);
    }
}
