package org.escadrille.server.execution;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A request to run an application: the input values (a list where the descriptor expects one value
 * is a sweep) and how several sweeps combine ({@code cross}, the default, or {@code dot}). For a
 * Monte-Carlo application: how to split it ({@code dynamic}, the default, {@code static} or
 * {@code none}), into how many tasks at first (0: one per available slot), or which earlier
 * execution to replay exactly. {@code priority} orders the user's own executions (higher first).
 * {@code cache}: whether tasks identical to one of the user's that succeeded reuse its outputs instead
 * of running (the task cache; null: yes).
 */
public record LaunchRequest(String app, String version, String name, Map<String, JsonNode> inputs, String iterate,
                            String split, Integer tasks, String replay, Integer priority, Boolean cache) {
    public LaunchRequest(String app, String version, String name, Map<String, JsonNode> inputs, String iterate) {
        this(app, version, name, inputs, iterate, null, null, null, null);
    }

    /** A launch that uses the task cache. */
    public LaunchRequest(String app, String version, String name, Map<String, JsonNode> inputs, String iterate,
                         String split, Integer tasks, String replay, Integer priority) {
        this(app, version, name, inputs, iterate, split, tasks, replay, priority, null);
    }

    /** Whether this launch may reuse cached outputs. */
    public boolean usesCache() {
        return !Boolean.FALSE.equals(cache);
    }

    public LaunchRequest {
        inputs = inputs == null ? Map.of() : new LinkedHashMap<>(inputs);
        iterate = iterate == null || iterate.isBlank() ? "cross" : iterate.strip().toLowerCase(Locale.ROOT);
    }
}
