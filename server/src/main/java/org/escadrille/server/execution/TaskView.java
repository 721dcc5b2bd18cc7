package org.escadrille.server.execution;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.escadrille.server.scheduling.LiveUsage;

/** A task and every attempt of it, as the APIs show them (the portal draws its timeline from these). */
public record TaskView(String id, int index, String label, String status, String commandLine, List<AttemptView> attempts) {

    /** This task with the figures of its running attempts replaced by those relayed live, where there are some. */
    TaskView withLiveUsage(Map<String, LiveUsage> usage) {
        return new TaskView(id, index, label, status, commandLine, attempts.stream().map(attempt -> {
            var live = usage.get(attempt.id());
            return live == null || attempt.endedAt() != null ? attempt : new AttemptView(attempt.id(), attempt.pilotId(),
                    attempt.host(), attempt.status(), attempt.leasedAt(), attempt.startedAt(), null, attempt.exitCode(),
                    live.cpuSeconds(), attempt.wallSeconds(), live.peakRssKb(), attempt.events(), attempt.message());
        }).toList());
    }

    /** One try of a task on one pilot. */
    public record AttemptView(String id, String pilotId, String host, String status, Instant leasedAt, Instant startedAt,
                              Instant endedAt, Integer exitCode, Double cpuSeconds, Double wallSeconds, Long peakRssKb,
                              Long events, String message) {
    }
}
