package org.escadrille.server.execution;

import java.time.Instant;
import java.util.List;

/** A task and every attempt of it, as the APIs show them (the portal draws its timeline from these). */
public record TaskView(String id, int index, String label, String status, String commandLine, List<AttemptView> attempts) {

    /** One try of a task on one pilot. */
    public record AttemptView(String id, String pilotId, String host, String status, Instant leasedAt, Instant startedAt,
                              Instant endedAt, Integer exitCode, Double cpuSeconds, Double wallSeconds, Long peakRssKb,
                              Long events, String message) {
    }
}
