package org.escadrille.server.portal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.escadrille.server.chart.AxisScale;

/**
 * A small numeric CSV drawn as a chart (the template makes the SVG): the first column is x, every other
 * column whose values are all numbers is a series (a Monte-Carlo histogram: {@code depth_cm,dose}).
 * One series on few evenly spaced rows is drawn as bars, anything else as lines. A header row is
 * optional, as are {@code #} comments; commas, semicolons or tabs separate the cells.
 */
record CsvPlot(String title, String xLabel, List<Series> series, List<Tick> xTicks, List<Tick> yTicks, boolean bars,
               double barWidth, int width, int height, int left, int right, int top, int bottom) {
    static final int MAX_ROWS = 5000;
    static final int WIDTH = 640;
    static final int HEIGHT = 280;
    static final int LEFT = 64;
    static final int RIGHT = 16;
    static final int TOP = 28;
    static final int BOTTOM = 40;

    /** A column: its name, its colour's number (for the stylesheet), its points ("x,y x,y") and its bars. */
    record Series(String name, int colour, String points, List<Rect> rects) {
    }

    record Rect(double x, double y, double width, double height, String title) {
    }

    record Tick(double at, String label) {
    }

    /** The plot of {@code text}, or empty when it is not a numeric table worth drawing. */
    static Optional<CsvPlot> of(String title, String text) {
        var rows = new ArrayList<String[]>();
        String separator = null;
        String[] header = null;
        for (String line : text.lines().toList()) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            if (separator == null) {
                separator = stripped.contains(",") ? "," : stripped.contains(";") ? ";" : stripped.contains("\t") ? "\t" : null;
                if (separator == null) {
                    return Optional.empty();
                }
            }
            String[] cells = stripped.split(Pattern.quote(separator), -1);
            if (header == null && rows.isEmpty() && number(cells[0]) == null) {
                header = cells;
                continue;
            }
            if (rows.size() >= MAX_ROWS) {
                return Optional.empty();
            }
            rows.add(cells);
        }
        if (rows.size() < 2) {
            return Optional.empty();
        }
        int columns = rows.getFirst().length;
        double[] xs = new double[rows.size()];
        var numericColumns = new ArrayList<Integer>();
        for (int c = 0; c < columns; c++) {
            boolean numeric = true;
            for (String[] row : rows) {
                numeric &= row.length == columns && number(row[c]) != null;
            }
            if (c == 0 && !numeric) {
                return Optional.empty();
            }
            if (c > 0 && numeric) {
                numericColumns.add(c);
            }
        }
        if (numericColumns.isEmpty()) {
            return Optional.empty();
        }
        for (int r = 0; r < rows.size(); r++) {
            xs[r] = number(rows.get(r)[0]);
        }
        double yMin = 0, yMax = 0;
        for (int c : numericColumns) {
            for (String[] row : rows) {
                double y = number(row[c]);
                yMin = Math.min(yMin, y);
                yMax = Math.max(yMax, y);
            }
        }
        double xMin = Arrays.stream(xs).min().orElse(0), xMax = Arrays.stream(xs).max().orElse(1);
        boolean bars = numericColumns.size() == 1 && rows.size() <= 80 && evenlySpaced(xs);
        double halfStep = bars ? (xs[1] - xs[0]) / 2 : 0;
        var xScale = AxisScale.numbersWithin(xMin - Math.abs(halfStep), xMax + Math.abs(halfStep), LEFT, WIDTH - RIGHT, 8);
        var yScale = AxisScale.numbers(yMin, yMax, HEIGHT - BOTTOM, TOP, 6);
        double barWidth = bars ? Math.max(1, Math.abs(xScale.at(xs[1]) - xScale.at(xs[0])) * 0.8) : 0;
        var series = new ArrayList<Series>();
        for (int i = 0; i < numericColumns.size() && i < 6; i++) {
            int c = numericColumns.get(i);
            var points = new StringBuilder();
            var rects = new ArrayList<Rect>();
            String name = header != null && c < header.length ? header[c].strip() : "column " + (c + 1);
            for (int r = 0; r < rows.size(); r++) {
                double y = number(rows.get(r)[c]);
                double px = xScale.at(xs[r]), py = yScale.at(y);
                points.append(format(px)).append(',').append(format(py)).append(' ');
                if (bars) {
                    double zero = yScale.at(Math.max(yScale.min(), 0));
                    rects.add(new Rect(AxisScale.tenth(px - barWidth / 2), AxisScale.tenth(Math.min(py, zero)),
                            AxisScale.tenth(barWidth), AxisScale.tenth(Math.abs(zero - py)),
                            AxisScale.number(xs[r]) + ": " + AxisScale.number(y)));
                }
            }
            series.add(new Series(name, i, points.toString().strip(), rects));
        }
        String xLabel = header != null ? header[0].strip() : "";
        var xTicks = xScale.ticks().stream().map(t -> new Tick(AxisScale.tenth(xScale.at(t)), AxisScale.number(t))).toList();
        var yTicks = yScale.ticks().stream().map(t -> new Tick(AxisScale.tenth(yScale.at(t)), AxisScale.number(t))).toList();
        return Optional.of(new CsvPlot(title, xLabel, series, xTicks, yTicks, bars, barWidth, WIDTH, HEIGHT, LEFT,
                WIDTH - RIGHT, TOP, HEIGHT - BOTTOM));
    }

    private static boolean evenlySpaced(double[] xs) {
        double step = xs[1] - xs[0];
        if (step == 0) {
            return false;
        }
        for (int i = 2; i < xs.length; i++) {
            if (Math.abs(xs[i] - xs[i - 1] - step) > Math.abs(step) * 1e-6) {
                return false;
            }
        }
        return true;
    }

    private static Double number(String cell) {
        String text = cell.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
