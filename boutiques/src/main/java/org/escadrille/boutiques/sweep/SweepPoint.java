package org.escadrille.boutiques.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One invocation of a sweep: the invocation itself, the values chosen for the swept inputs, and a
 * filesystem-safe label naming them (e.g. {@code events=1000_seed=3}), unique within its sweep, for the
 * directory that receives the task's outputs. The label is empty when nothing is swept.
 */
public record SweepPoint(ObjectNode invocation, Map<String, JsonNode> parameters, String label) {

    public SweepPoint {
        Objects.requireNonNull(invocation, "invocation");
        Objects.requireNonNull(label, "label");
        invocation = invocation.deepCopy();
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    @Override
    public ObjectNode invocation() {
        return invocation.deepCopy();
    }
}
