package org.escadrille.server.execution;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.escadrille.server.footprint.Footprint;
import org.escadrille.server.scheduling.LiveUsage;

/**
 * A task and every attempt of it, as the APIs show them (the portal draws its timeline from these).
 *
 * @param reusedFrom the task of an earlier execution whose outputs this one reused instead of running
 *                   (a re-run of only what failed, or the task cache), or null for a task that ran
 * @param cached     whether the task cache found that earlier task (shown as "cached")
 * @param saved      for a task that reused outputs, the footprint of the attempt that made them: what not
 *                   running it again saved (null: it ran, or that attempt is not known)
 */
public record TaskView(String id, int index, String label, String status, String commandLine, List<AttemptView> attempts,
                       String reusedFrom, boolean cached, Footprint.OfAttempt saved) {

    /** A task that ran. */
    public TaskView(String id, int index, String label, String status, String commandLine, List<AttemptView> attempts) {
        this(id, index, label, status, commandLine, attempts, null);
    }

    /** A task that ran, or that a re-run of what failed reused. */
    public TaskView(String id, int index, String label, String status, String commandLine, List<AttemptView> attempts,
                    String reusedFrom) {
        this(id, index, label, status, commandLine, attempts, reusedFrom, false, null);
    }

    /** This task with the footprint that reusing outputs saved, where it reused some. */
    TaskView withSaved(Map<String, Footprint.OfAttempt> savedBySource) {
        return reusedFrom == null ? this
                : new TaskView(id, index, label, status, commandLine, attempts, reusedFrom, cached, savedBySource.get(reusedFrom));
    }

    /** This task with the figures of its running attempts replaced by those relayed live, where there are some. */
    TaskView withLiveUsage(Map<String, LiveUsage> usage) {
        return new TaskView(id, index, label, status, commandLine, attempts.stream().map(attempt -> {
            var live = usage.get(attempt.id());
            return live == null || attempt.endedAt() != null ? attempt : new AttemptView(attempt.id(), attempt.pilotId(),
                    attempt.host(), attempt.status(), attempt.leasedAt(), attempt.startedAt(), null, attempt.exitCode(),
                    live.cpuSeconds(), attempt.wallSeconds(), live.peakRssKb(), attempt.events(), attempt.message(), null);
        }).toList(), reusedFrom, cached, saved);
    }

    /** This task with each ended attempt's footprint. */
    TaskView withFootprints(Map<String, Footprint.OfAttempt> footprints) {
        return new TaskView(id, index, label, status, commandLine, attempts.stream().map(attempt -> new AttemptView(
                attempt.id(), attempt.pilotId(), attempt.host(), attempt.status(), attempt.leasedAt(), attempt.startedAt(),
                attempt.endedAt(), attempt.exitCode(), attempt.cpuSeconds(), attempt.wallSeconds(), attempt.peakRssKb(),
                attempt.events(), attempt.message(), footprints.get(attempt.id()))).toList(), reusedFrom, cached, saved);
    }

    /**
     * One try of a task on one pilot.
     *
     * @param footprint its energy and carbon (docs/footprint.md), once it has ended; null before
     */
    public record AttemptView(String id, String pilotId, String host, String status, Instant leasedAt, Instant startedAt,
                              Instant endedAt, Integer exitCode, Double cpuSeconds, Double wallSeconds, Long peakRssKb,
                              Long events, String message, Footprint.OfAttempt footprint) {

        /** An attempt without its footprint. */
        public AttemptView(String id, String pilotId, String host, String status, Instant leasedAt, Instant startedAt,
                           Instant endedAt, Integer exitCode, Double cpuSeconds, Double wallSeconds, Long peakRssKb,
                           Long events, String message) {
            this(id, pilotId, host, status, leasedAt, startedAt, endedAt, exitCode, cpuSeconds, wallSeconds, peakRssKb,
                    events, message, null);
        }
    }
}
