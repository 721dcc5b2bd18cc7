package org.escadrille.server.portal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import org.escadrille.server.execution.TaskView;

/**
 * The geometry of an execution's timeline (the template draws it as SVG): one lane per pilot slot,
 * one bar per attempt from its start (its lease until it starts) to its end (now while it runs),
 * coloured by its outcome. Slots are not recorded, so they are derived: each pilot's attempts are
 * packed, earliest first, into the first lane free at their start, which needs as many lanes as the
 * pilot ever ran attempts at once.
 */
record TimelineChart(int width, int height, List<Lane> lanes, List<Bar> bars, List<Tick> ticks, int left, int right,
                     int axisY) {
    static final int WIDTH = 900;
    static final int LEFT = 150;
    static final int RIGHT = 16;
    static final int TOP = 8;
    static final int LANE = 28;
    static final int BAR = 18;
    static final int AXIS = 30;

    /** A pilot slot's row: its label, and the middle of the row. */
    record Lane(String label, String title, int y) {
    }

    /** An attempt. {@code status} is the attempt's (SUCCEEDED, FAILED, LOST, CANCELLED, STOPPED, RUNNING, LEASED). */
    record Bar(double x, int y, double width, String status, String title) {
    }

    record Tick(double x, String label) {
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

    static TimelineChart of(List<TaskView> tasks, Instant now) {
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
            return new TimelineChart(WIDTH, TOP + AXIS, List.of(), List.of(), List.of(), LEFT, WIDTH - RIGHT, TOP);
        }
        spans.sort(Comparator.comparing(Span::start).thenComparing(s -> s.attempt().id()));
        Instant origin = spans.getFirst().start();
        Instant last = spans.stream().map(Span::end).max(Comparator.naturalOrder()).orElse(origin);
        var scale = AxisScale.duration(seconds(origin, last), LEFT, WIDTH - RIGHT, 8);

        // Pack each pilot's attempts into its slots: the first lane whose last attempt has ended.
        var laneEnds = new LinkedHashMap<String, List<Instant>>(); // pilot -> each of its lanes' end
        var slotOf = new ArrayList<Integer>();
        for (var span : spans) {
            var ends = laneEnds.computeIfAbsent(pilotOf(span), p -> new ArrayList<>());
            int slot = 0;
            while (slot < ends.size() && ends.get(slot).isAfter(span.start())) {
                slot++;
            }
            if (slot == ends.size()) {
                ends.add(span.end());
            } else {
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
                lanes.add(new Lane(laneLabel(pilot, slot + 1), "pilot " + pilot
                        + (sample.host() == null ? "" : " on " + sample.host()), TOP + lanes.size() * LANE + LANE / 2));
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
        return new TimelineChart(WIDTH, axisY + AXIS, lanes, bars, ticks, LEFT, WIDTH - RIGHT, axisY);
    }

    private static String pilotOf(Span span) {
        return span.attempt().pilotId() == null ? "?" : span.attempt().pilotId();
    }

    private record Span(TaskView task, TaskView.AttemptView attempt, Instant start, Instant end) {
    }

    private static String laneLabel(String pilot, int slotNumber) {
        return "pilot " + pilot.substring(0, Math.min(4, pilot.length())) + ", slot " + slotNumber;
    }

    private static String title(Span span) {
        var attempt = span.attempt();
        var text = new StringBuilder("task ").append(span.task().index()).append(" (").append(span.task().label())
                .append("): ").append(attempt.status()).append(", ")
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
