package org.escadrille.server.montecarlo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shares what is left of a dynamic run's total among its running tasks, by their rates, as the event
 * count at which each should stop (the pilot stops it there itself, without waiting for a heartbeat):
 * if every task stops on its target, they end together and the run ends on its total, instead of
 * overshooting by what the tasks simulate during a heartbeat's round trip.
 *
 * <p>The targets of one call add up to the events left (rounded up), whatever the rates: a wrong rate
 * makes tasks end at different moments, not the total wrong; and every new progress report moves
 * them, long before a task of a long run gets near its target. Not thread-safe: its run's lock
 * guards it.
 */
final class StopTargets {
    /** Rates are measured over this much of each task's recent progress, to smooth the heartbeats' jitter. */
    static final long RATE_WINDOW_MS = 2_000;
    /** Two samples closer than this say little about a rate. */
    static final long MIN_RATE_SPAN_MS = 500;

    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    private record Sample(long events, long atMs) {
    }

    /** A new task of the run: it shares the remainder from now on, from zero events. */
    void started(String taskId) {
        samples.putIfAbsent(taskId, new ArrayDeque<>());
    }

    /** A task reported {@code events} done, heard at {@code nowMs}. */
    void progress(String taskId, long events, long nowMs) {
        var history = samples.computeIfAbsent(taskId, id -> new ArrayDeque<>());
        var last = history.peekLast();
        if (last != null && last.events() == events) {
            return;
        }
        if (last != null && (events < last.events() || nowMs < last.atMs())) {
            // A count that goes back (a tool restarted its count?) starts the measure afresh.
            history.clear();
        }
        history.addLast(new Sample(events, nowMs));
        while (history.size() > 2 && nowMs - history.peekFirst().atMs() > RATE_WINDOW_MS) {
            history.removeFirst();
        }
    }

    /** The task ended (or was lost): it no longer shares the remainder. */
    void ended(String taskId) {
        samples.remove(taskId);
    }

    /** The run's tasks that have not ended. */
    int tasks() {
        return samples.size();
    }

    /** Events per millisecond of a task, or 0 when not measured yet. */
    double rate(String taskId) {
        var history = samples.get(taskId);
        if (history == null || history.size() < 2) {
            return 0;
        }
        long span = history.peekLast().atMs() - history.peekFirst().atMs();
        if (span < MIN_RATE_SPAN_MS) {
            return 0;
        }
        return (double) (history.peekLast().events() - history.peekFirst().events()) / span;
    }

    /** Each running task's stop target (task id → events), and how long until they all reach theirs. */
    record Share(Map<String, Long> targets, double untilEndMs) {
    }

    /**
     * Shares the {@code remaining} events (the total less those of ended tasks) among the running tasks
     * (started or reporting), as of {@code nowMs}: by their measured rates (a task not measured yet is
     * taken as fast as the average), or equally before any reported. Empty without tasks, or when
     * tasks reported but no rate is measured yet (the earlier shares stand).
     */
    Share share(long remaining, long nowMs) {
        double measured = 0;
        int known = 0;
        for (String taskId : samples.keySet()) {
            double rate = rate(taskId);
            if (rate > 0) {
                measured += rate;
                known++;
            }
        }
        var targets = new LinkedHashMap<String, Long>();
        if (samples.isEmpty()) {
            return new Share(targets, Double.POSITIVE_INFINITY);
        }
        boolean anyReport = samples.values().stream().anyMatch(history -> !history.isEmpty());
        if (known == 0 && anyReport) {
            // Counts without rates: the first reports, seconds apart from pilot to pilot, are too stale to
            // share by; the shares given so far stand until rates are measured.
            return new Share(targets, Double.POSITIVE_INFINITY);
        }
        if (known == 0) {
            // Tasks just made: equal shares, the best guess on equal slots.
            double left = remaining;
            for (var history : samples.values()) {
                left -= events(history);
            }
            double each = Math.max(0, left) / samples.size();
            samples.forEach((taskId, history) ->
                    targets.put(taskId, Math.max(1, (long) Math.ceil(events(history) + each))));
            return new Share(targets, Double.POSITIVE_INFINITY);
        }
        double average = measured / known;
        var rates = new LinkedHashMap<String, Double>();
        var projected = new LinkedHashMap<String, Double>();
        double left = remaining;
        double totalRate = 0;
        for (var entry : samples.entrySet()) {
            var last = entry.getValue().peekLast();
            double rate = rate(entry.getKey());
            rate = rate > 0 ? rate : average;
            // A task that has not reported yet is taken where it starts: at zero, now.
            double now = last == null ? 0 : last.events() + rate * Math.max(0, nowMs - last.atMs());
            rates.put(entry.getKey(), rate);
            projected.put(entry.getKey(), now);
            left -= now;
            totalRate += rate;
        }
        double untilEndMs = Math.max(0, left) / totalRate;
        for (var entry : rates.entrySet()) {
            double target = projected.get(entry.getKey()) + entry.getValue() * untilEndMs;
            targets.put(entry.getKey(), Math.max(1, (long) Math.ceil(target)));
        }
        return new Share(targets, untilEndMs);
    }

    private static long events(Deque<Sample> history) {
        var last = history.peekLast();
        return last == null ? 0 : last.events();
    }
}
