package org.escadrille.bench;

import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link Timeline} as a small standalone SVG: one lane per pilot, one bar per attempt
 * coloured by its outcome, like VIP's static-versus-dynamic figures.
 */
final class TimelineSvg {
    static final Map<String, String> COLOURS = Map.of(
            "SUCCEEDED", "#2e7d32", "STOPPED", "#1565c0", "LOST", "#ef6c00", "FAILED", "#c62828",
            "CANCELLED", "#9e9e9e", "RUNNING", "#90a4ae", "LEASED", "#cfd8dc");
    private static final int WIDTH = 900;
    private static final int LEFT = 150;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int LANE = 30;
    private static final int BOTTOM = 60;

    private TimelineSvg() {
    }

    static String render(Timeline timeline) {
        int lanes = timeline.lanes().size();
        int height = TOP + lanes * LANE + BOTTOM;
        double span = Math.max(1e-9, niceCeiling(timeline.endS()));
        double plot = WIDTH - LEFT - RIGHT;
        var svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                10, escape(timeline.title())));
        for (int i = 0; i < lanes; i++) {
            double y = TOP + i * LANE;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    LEFT, y, plot, LANE, i % 2 == 0 ? "#f5f5f5" : "#ffffff"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + LANE / 2.0 + 4, escape(timeline.lanes().get(i).label())));
        }
        double step = tickStep(span);
        for (double t = 0; t <= span + 1e-9; t += step) {
            double x = LEFT + t / span * plot;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bdbdbd\" stroke-width=\"0.5\"/>%n",
                    x, TOP, x, TOP + lanes * LANE));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, TOP + lanes * LANE + 15, trim(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">seconds since launch</text>%n",
                LEFT + plot / 2, TOP + lanes * LANE + 30));
        for (Timeline.Bar bar : timeline.bars()) {
            double y = TOP + bar.lane() * LANE;
            double leased = LEFT + clamp(bar.leasedS(), span) / span * plot;
            double start = LEFT + clamp(bar.startS(), span) / span * plot;
            double end = LEFT + clamp(bar.endS(), span) / span * plot;
            if (start > leased) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"#cfd8dc\"/>%n",
                        leased, y + 11, start - leased, LANE - 22));
            }
            String colour = COLOURS.getOrDefault(bar.status(), "#757575");
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" stroke=\"white\" stroke-width=\"0.5\">"
                            + "<title>task %d %s: %.2f–%.2f s%s</title></rect>%n",
                    start, y + 4, Math.max(0.5, end - start), LANE - 8, colour, bar.taskIndex(), bar.status(),
                    bar.startS(), bar.endS(), bar.events() == null ? "" : ", " + bar.events() + " events"));
            if (end - start > 60) {
                String label = bar.status().toLowerCase(Locale.ROOT) + (bar.events() == null ? "" : " " + giga(bar.events()));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"white\" font-size=\"11\">%s</text>%n",
                        start + 4, y + LANE / 2.0 + 4, escape(label)));
            }
        }
        for (Timeline.Marker marker : timeline.markers()) {
            double x = LEFT + clamp(marker.atS(), span) / span * plot;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>%n",
                    x, TOP - 6, x, TOP + lanes * LANE, marker.colour()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"%s\" text-anchor=\"middle\" font-size=\"11\">%s</text>%n",
                    x, TOP - 8, marker.colour(), escape(marker.label())));
        }
        int legendY = height - 14;
        int x = LEFT;
        for (String status : new String[] {"SUCCEEDED", "STOPPED", "LOST", "FAILED"}) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, legendY - 10, COLOURS.get(status)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 16, legendY, status));
            x += 110;
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"#cfd8dc\"/>%n", x, legendY - 6));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">leased, not started</text>%n", x + 16, legendY));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** {@code value} rounded up to a whole tick, so that the axis ends on a round number. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double step = tickStep(value);
        return Math.ceil(value / step - 1e-9) * step;
    }

    /** A tick spacing giving 5 to 10 ticks over {@code span}. */
    static double tickStep(double span) {
        double raw = span / 8;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= raw) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static double clamp(double value, double span) {
        return Math.max(0, Math.min(span, value));
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String giga(long events) {
        return String.format(Locale.ROOT, "%.2f G", events / 1e9);
    }
}
