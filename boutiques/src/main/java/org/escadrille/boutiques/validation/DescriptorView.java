package org.escadrille.boutiques.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.boutiques.json.PythonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Lookups over a schema-valid descriptor shared by the semantic rules (ids, inputs by id, groups). */
final class DescriptorView {

    final JsonNode descriptor;
    final List<JsonNode> inputs = new ArrayList<>();
    final List<JsonNode> outputs = new ArrayList<>();
    final List<JsonNode> groups = new ArrayList<>();
    final List<String> inputIds = new ArrayList<>();
    final List<String> outputIds = new ArrayList<>();
    final List<String> groupIds = new ArrayList<>();
    private final Map<String, JsonNode> inputById = new LinkedHashMap<>();

    DescriptorView(JsonNode descriptor) {
        this.descriptor = descriptor;
        descriptor.path("inputs").forEach(inputs::add);
        descriptor.path("output-files").forEach(outputs::add);
        descriptor.path("groups").forEach(groups::add);
        for (JsonNode in : inputs) {
            inputIds.add(in.get("id").stringValue());
            inputById.putIfAbsent(in.get("id").stringValue(), in);
        }
        outputs.forEach(o -> outputIds.add(o.get("id").stringValue()));
        groups.forEach(g -> groupIds.add(g.get("id").stringValue()));
    }

    /** The first input with this id, or an empty object (as bosh's {@code inById}). */
    JsonNode input(String id) {
        JsonNode in = inputById.get(id);
        return in == null ? JsonNodeFactory.instance.objectNode() : in;
    }

    boolean isInput(String id) {
        return inputById.containsKey(id);
    }

    /** Whether the input is optional; absent means required, as bosh defaults it. */
    boolean isOptional(String id) {
        JsonNode optional = input(id).get("optional");
        return optional != null && optional.isBoolean() && optional.booleanValue();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    static boolean truthy(JsonNode node, String field) {
        return PythonValues.truthy(node.get(field));
    }

    static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        node.path(field).forEach(v -> out.add(v.isString() ? v.stringValue() : v.toString()));
        return out;
    }
}
