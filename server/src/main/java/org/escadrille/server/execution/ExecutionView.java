package org.escadrille.server.execution;

import java.time.Instant;
import java.util.List;
import org.escadrille.server.footprint.Footprint;
import org.escadrille.server.montecarlo.MonteCarloSummary;
import tools.jackson.databind.JsonNode;

/**
 * An execution as the APIs show it (docs/native-api.md); {@code monteCarlo} is null for ordinary ones,
 * {@code footprint} (its ended attempts' energy and carbon: docs/footprint.md) null in lists;
 * {@code waiting} says why a launch waits for its owner's other executions to end (docs/limits.md), null
 * for one that started. {@code resultsDeletedAt}: when {@code escadrille.housekeeping.retention} will delete
 * it with its results, once that is within the notice period (null otherwise).
 */
public record ExecutionView(
        String id,
        String name,
        String app,
        String appVersion,
        String digest,
        String owner,
        ExecutionStatus status,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        JsonNode inputs,
        String iterate,
        String outputDir,
        TaskCounts tasks,
        double cpuSeconds,
        double wallSeconds,
        String error,
        List<OutputView> outputs,
        MonteCarloSummary monteCarlo,
        Footprint footprint,
        String waiting,
        Instant resultsDeletedAt) {

    /** An execution that does not wait, and whose results no retention period deletes soon. */
    public ExecutionView(String id, String name, String app, String appVersion, String digest, String owner,
                         ExecutionStatus status, Instant createdAt, Instant startedAt, Instant endedAt, JsonNode inputs,
                         String iterate, String outputDir, TaskCounts tasks, double cpuSeconds, double wallSeconds,
                         String error, List<OutputView> outputs, MonteCarloSummary monteCarlo, Footprint footprint) {
        this(id, name, app, appVersion, digest, owner, status, createdAt, startedAt, endedAt, inputs, iterate, outputDir,
                tasks, cpuSeconds, wallSeconds, error, outputs, monteCarlo, footprint, null, null);
    }

    /** An execution shown without its footprint. */
    public ExecutionView(String id, String name, String app, String appVersion, String digest, String owner,
                         ExecutionStatus status, Instant createdAt, Instant startedAt, Instant endedAt, JsonNode inputs,
                         String iterate, String outputDir, TaskCounts tasks, double cpuSeconds, double wallSeconds,
                         String error, List<OutputView> outputs, MonteCarloSummary monteCarlo) {
        this(id, name, app, appVersion, digest, owner, status, createdAt, startedAt, endedAt, inputs, iterate, outputDir,
                tasks, cpuSeconds, wallSeconds, error, outputs, monteCarlo, null, null, null);
    }

    /** How many tasks are in each state. */
    public record TaskCounts(int total, int queued, int running, int succeeded, int failed, int cancelled) {
    }

    /** One output file, in the owner's space; {@code merged}: the merge of a Monte-Carlo run's partial results. */
    public record OutputView(String path, String outputId, long size, String sha256, String taskId, boolean merged) {
    }
}
