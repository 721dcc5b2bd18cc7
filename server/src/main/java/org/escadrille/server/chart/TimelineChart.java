package org.escadrille.server.chart;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.escadrille.server.execution.TaskView;

/**
 * The geometry of an execution's timeline (the template draws it as SVG): one lane per pilot slot,
 * one bar per attempt from its start (its lease until it starts) to its end (now while it runs),
 * coloured by its outcome. Slots are not recorded, so they are derived: each pilot's attempts are
 * packed, earliest first, into the first lane free at their start. A pilot never gets more lanes than
 * it has slots: its attempts' times come from two clocks and batched reports (an attempt is leased
 * before the previous one's end is recorded), so overlaps that never happened on the pilot would
 * otherwise draw slots that do not exist; such an attempt goes to the lane that frees first.
 * The legend names exactly the colours drawn. The portal's execution page and the execution report
 * both draw it.
 */
public record TimelineChart(int width, int height, List<Lane> lanes, List<Bar> bars, List<Tick> ticks, int left, int right,
                     int axisY, List<Key> legend) {
    /** The order of the legend: ends that did the work first, then the live ones, then the losses. */
    private static final List<String> LEGEND_ORDER =
            List.of("SUCCEEDED", "STOPPED", "RUNNING", "LEASED", "FAILED", "LOST", "CANCELLED");
    /** Drawn for a laptop's width. */
    public static final Size WIDE = new Size(900, 150, 8, false);
    /** Drawn for a phone's width (about 360 px), so that its text stays readable without zooming. */
    public static final Size NARROW = new Size(380, 70, 4, true);
    static final int RIGHT = 16;
    static final int TOP = 8;
    static final int LANE = 28;
    static final int BAR = 18;
    static final int AXIS = 30;

    /** The drawing's width, its lane labels' column, how many ticks its axis may have, and short labels. */
    public record Size(int width, int left, int maxTicks, boolean shortLabels) {
    }

    /** A pilot slot's row: its label, and the middle of the row. */
    public record Lane(String label, String title, int y) {
    }

    /** An attempt. {@code status} is the attempt's (SUCCEEDED, FAILED, LOST, CANCELLED, STOPPED, RUNNING, LEASED). */
    public record Bar(double x, int y, double width, String status, String title) {
    }

    public record Tick(double x, String label) {
    }

    /** One colour of the legend: the attempt status it stands for, in words. */
    public record Key(String status, String words) {
    }

    public int barHeight() {
        return BAR;
    }

    public int laneHeight() {
        return LANE;
    }

    public int top() {
        return TOP;
    }

    public boolean isEmpty() {
        return bars.isEmpty();
    }

    public static TimelineChart of(List<TaskView> tasks, Instant now) {
        return of(tasks, Map.of(), now, WIDE);
    }

    /** @param slots each pilot's number of slots, where known */
    public static TimelineChart of(List<TaskView> tasks, Map<String, Integer> slots, Instant now, Size size) {
        var spans = new ArrayList<Span>();
        for (var task : tasks) {
            for (var attempt : task.attempts()) {
                Instant start = attempt.startedAt() != null ? attempt.startedAt() : attempt.leasedAt();
                if (start == null) {
                    continue;
                }
                Instant end = attempt.endedAt() != null ? attempt.endedAt() : now;
                spans.add(new Span(task, attempt, start, end.isBefore(start) ? start : end));
            }
        }
        if (spans.isEmpty()) {
            return new TimelineChart(size.width(), TOP + AXIS, List.of(), List.of(), List.of(), size.left(),
                    size.width() - RIGHT, TOP, List.of());
        }
        spans.sort(Comparator.comparing(Span::start).thenComparing(s -> s.attempt().id()));
        Instant origin = spans.getFirst().start();
        Instant last = spans.stream().map(Span::end).max(Comparator.naturalOrder()).orElse(origin);
        var scale = AxisScale.duration(seconds(origin, last), size.left(), size.width() - RIGHT, size.maxTicks());

        // Pack each pilot's attempts into its slots: the first lane whose last attempt has ended.
        var laneEnds = new LinkedHashMap<String, List<Instant>>(); // pilot -> each of its lanes' end
        var slotOf = new ArrayList<Integer>();
        for (var span : spans) {
            var ends = laneEnds.computeIfAbsent(pilotOf(span), p -> new ArrayList<>());
            int slot = 0;
            while (slot < ends.size() && ends.get(slot).isAfter(span.start())) {
                slot++;
            }
            Integer pilotSlots = slots.get(pilotOf(span));
            if (slot == ends.size() && pilotSlots != null && pilotSlots > 0 && ends.size() >= pilotSlots) {
                slot = earliestEnd(ends);
            }
            if (slot == ends.size()) {
                ends.add(span.end());
            } else if (span.end().isAfter(ends.get(slot))) {
                ends.set(slot, span.end());
            }
            slotOf.add(slot);
        }
        // Lanes in the order pilots first ran something, then by slot.
        var firstRow = new LinkedHashMap<String, Integer>();
        var lanes = new ArrayList<Lane>();
        laneEnds.forEach((pilot, ends) -> {
            firstRow.put(pilot, lanes.size());
            var sample = spans.stream().filter(s -> pilotOf(s).equals(pilot)).findFirst().orElseThrow().attempt();
            for (int slot = 0; slot < ends.size(); slot++) {
                lanes.add(new Lane(laneLabel(pilot, slot + 1, size.shortLabels()), "pilot " + pilot
                        + ", slot " + (slot + 1) + (sample.host() == null ? "" : " on " + sample.host()), TOP + lanes.size() * LANE + LANE / 2));
            }
        });
        var bars = new ArrayList<Bar>();
        for (int i = 0; i < spans.size(); i++) {
            var span = spans.get(i);
            int row = firstRow.get(pilotOf(span)) + slotOf.get(i);
            double x = scale.at(seconds(origin, span.start()));
            double width = Math.max(2, scale.at(seconds(origin, span.end())) - x);
            bars.add(new Bar(AxisScale.tenth(x), TOP + row * LANE + (LANE - BAR) / 2, AxisScale.tenth(width), span.attempt().status(), title(span)));
        }
        var ticks = scale.ticks().stream().map(t -> new Tick(AxisScale.tenth(scale.at(t)), AxisScale.duration(t))).toList();
        int axisY = TOP + lanes.size() * LANE;
        return new TimelineChart(size.width(), axisY + AXIS, lanes, bars, ticks, size.left(), size.width() - RIGHT, axisY,
                legend(bars));
    }

    /** The colours the bars use, each once, in {@link #LEGEND_ORDER} (a status it does not know, last). */
    private static List<Key> legend(List<Bar> bars) {
        var used = bars.stream().map(Bar::status).distinct().sorted(Comparator.comparingInt(status -> {
            int rank = LEGEND_ORDER.indexOf(status);
            return rank < 0 ? LEGEND_ORDER.size() : rank;
        })).toList();
        return used.stream().map(status -> new Key(status, StatusWords.of(status).toLowerCase(Locale.ROOT)))
                .toList();
    }

    private static int earliestEnd(List<Instant> ends) {
        int earliest = 0;
        for (int i = 1; i < ends.size(); i++) {
            if (ends.get(i).isBefore(ends.get(earliest))) {
                earliest = i;
            }
        }
        return earliest;
    }

    private static String pilotOf(Span span) {
        return span.attempt().pilotId() == null ? "?" : span.attempt().pilotId();
    }

    private record Span(TaskView task, TaskView.AttemptView attempt, Instant start, Instant end) {
    }

    private static String laneLabel(String pilot, int slotNumber, boolean shortLabel) {
        String shortId = pilot.substring(0, Math.min(4, pilot.length()));
        return shortLabel ? shortId + " #" + slotNumber : "pilot " + shortId + ", slot " + slotNumber;
    }

    private static String title(Span span) {
        var attempt = span.attempt();
        var text = new StringBuilder("task ").append(span.task().index()).append(" (").append(span.task().label())
                .append("): ").append(StatusWords.of(attempt.status()).toLowerCase(Locale.ROOT)).append(", ")
                .append(AxisScale.duration(seconds(span.start(), span.end())));
        if (attempt.exitCode() != null) {
            text.append(", exit code ").append(attempt.exitCode());
        }
        if (attempt.message() != null && !attempt.message().isBlank()) {
            text.append(": ").append(attempt.message());
        }
        return text.toString();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
