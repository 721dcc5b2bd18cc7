package org.escadrille.cli.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One launch of an application as the native API reports it; only the fields the CLI shows are
 * read, the others stay in the reply's JSON for {@code --json}. {@code resultsDeletedAt}: when the
 * server's retention period will delete it with its results (null: not yet announced, or never).
 */
public record Execution(String id, String name, String app, String appVersion, String owner, String status,
        Instant createdAt, Instant startedAt, Instant endedAt, JsonNode inputs, String outputDir, TaskCounts tasks,
        Double cpuSeconds, Double wallSeconds, String error, List<OutputFile> outputs, Footprint footprint,
        Instant resultsDeletedAt) {
    private static final Set<String> TERMINAL =
            Set.of("Finished", "InitializationFailed", "ExecutionFailed", "Killed");

    public Execution {
        tasks = tasks == null ? TaskCounts.NONE : tasks;
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** An execution the server showed without its footprint (in lists, or an older server). */
    public Execution(String id, String name, String app, String appVersion, String owner, String status,
                     Instant createdAt, Instant startedAt, Instant endedAt, JsonNode inputs, String outputDir,
                     TaskCounts tasks, Double cpuSeconds, Double wallSeconds, String error, List<OutputFile> outputs) {
        this(id, name, app, appVersion, owner, status, createdAt, startedAt, endedAt, inputs, outputDir, tasks, cpuSeconds,
                wallSeconds, error, outputs, null, null);
    }

    /** An execution the server showed without a retention notice. */
    public Execution(String id, String name, String app, String appVersion, String owner, String status,
                     Instant createdAt, Instant startedAt, Instant endedAt, JsonNode inputs, String outputDir,
                     TaskCounts tasks, Double cpuSeconds, Double wallSeconds, String error, List<OutputFile> outputs,
                     Footprint footprint) {
        this(id, name, app, appVersion, owner, status, createdAt, startedAt, endedAt, inputs, outputDir, tasks, cpuSeconds,
                wallSeconds, error, outputs, footprint, null);
    }

    /** True once the status can no longer change. */
    public boolean ended() {
        return TERMINAL.contains(status);
    }

    public boolean finished() {
        return "Finished".equals(status);
    }

    /** From creation to end (or to {@code now} while it runs); null when the server gave no creation time. */
    public Duration age(Instant now) {
        if (createdAt == null) {
            return null;
        }
        Instant end = endedAt != null ? endedAt : now;
        return end.isBefore(createdAt) ? Duration.ZERO : Duration.between(createdAt, end);
    }
}
