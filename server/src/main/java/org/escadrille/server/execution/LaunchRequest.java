package org.escadrille.server.execution;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A request to run an application: the input values (a list where the descriptor expects one value
 * is a sweep) and how several sweeps combine ({@code cross}, the default, or {@code dot}).
 */
public record LaunchRequest(String app, String version, String name, Map<String, JsonNode> inputs, String iterate) {
    public LaunchRequest {
        inputs = inputs == null ? Map.of() : new LinkedHashMap<>(inputs);
        iterate = iterate == null || iterate.isBlank() ? "cross" : iterate.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
