package org.escadrille.cli.api;

import java.time.Instant;

/** One try of a task on one pilot. */
public record Attempt(String id, String pilotId, String host, String status, Instant leasedAt, Instant startedAt,
        Instant endedAt, Integer exitCode, Double cpuSeconds, Double wallSeconds, Long peakRssKb, String message) {
}
