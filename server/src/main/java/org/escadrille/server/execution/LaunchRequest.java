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
 */
public record LaunchRequest(String app, String version, String name, Map<String, JsonNode> inputs, String iterate,
                            String split, Integer tasks, String replay, Integer priority) {
    public LaunchRequest(String app, String version, String name, Map<String, JsonNode> inputs, String iterate) {
        this(app, version, name, inputs, iterate, null, null, null, null);
    }

    public LaunchRequest {
        inputs = inputs == null ? Map.of() : new LinkedHashMap<>(inputs);
        iterate = iterate == null || iterate.isBlank() ? "cross" : iterate.strip().toLowerCase(Locale.ROOT);
    }
}
