package org.escadrille.boutiques.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InvalidInvocationException;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.JsonValues;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Expands a parameter sweep: an input that takes one value (not {@code list: true}) but is given a JSON
 * array is swept over that array's values, and several swept inputs combine by cross or dot product.
 * Each resulting invocation still has to be validated on its own.
 */
public final class SweepExpander {

    private SweepExpander() {
    }

    /** The invocations of the sweep, in a stable order. @throws InvalidInvocationException when it cannot expand */
    public static List<SweepPoint> expand(Descriptor descriptor, JsonNode invocation, SweepStrategy strategy) {
        if (invocation == null || !invocation.isObject()) {
            throw new InvalidInvocationException(List.of(Problem.at("", "an invocation must be a JSON object, found %s",
                    JsonValues.typeName(invocation))));
        }
        Map<String, JsonNode> swept = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Input in : descriptor.inputs()) {
            JsonNode value = invocation.get(in.id());
            if (!in.list() && value != null && value.isArray()) {
                swept.put(in.id(), value);
                if (value.isEmpty()) {
                    problems.add(Problem.at(Pointer.child("", in.id()), "input \"%s\" is swept over an empty list of "
                            + "values, which gives no task at all", in.id()));
                }
            }
        }
        if (strategy == SweepStrategy.DOT && distinctSizes(swept) > 1) {
            List<String> lengths = new ArrayList<>();
            swept.forEach((id, values) -> lengths.add(id + " has " + values.size()));
            problems.add(Problem.at("", "a dot product needs swept inputs with as many values each: %s",
                    String.join(", ", lengths)));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInvocationException(problems);
        }
        List<Map<String, JsonNode>> combinations = strategy == SweepStrategy.DOT ? dot(swept) : cross(swept);
        SweepLabels labels = new SweepLabels();
        List<SweepPoint> points = new ArrayList<>();
        ObjectNode original = (ObjectNode) invocation;
        for (Map<String, JsonNode> chosen : combinations) {
            // Field by field, in the invocation's order: copying the whole invocation and then
            // replacing the swept inputs would copy every swept list once per point (a sweep of
            // 10,000 values spent most of its planning copying 10^8 array elements).
            ObjectNode point = original.objectNode();
            for (Map.Entry<String, JsonNode> field : original.properties()) {
                JsonNode value = chosen.get(field.getKey());
                point.set(field.getKey(), (value != null ? value : field.getValue()).deepCopy());
            }
            points.add(new SweepPoint(point, chosen, chosen.isEmpty() ? "" : labels.next(chosen)));
        }
        return points;
    }

    private static long distinctSizes(Map<String, JsonNode> swept) {
        return swept.values().stream().mapToInt(JsonNode::size).distinct().count();
    }

    private static List<Map<String, JsonNode>> dot(Map<String, JsonNode> swept) {
        List<Map<String, JsonNode>> out = new ArrayList<>();
        int size = swept.isEmpty() ? 1 : swept.values().iterator().next().size();
        for (int i = 0; i < size; i++) {
            Map<String, JsonNode> chosen = new LinkedHashMap<>();
            final int index = i;
            swept.forEach((id, values) -> chosen.put(id, values.get(index)));
            out.add(chosen);
        }
        return out;
    }

    private static List<Map<String, JsonNode>> cross(Map<String, JsonNode> swept) {
        List<Map<String, JsonNode>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, JsonNode> input : swept.entrySet()) {
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> partial : out) {
                for (JsonNode value : input.getValue()) {
                    Map<String, JsonNode> chosen = new LinkedHashMap<>(partial);
                    chosen.put(input.getKey(), value);
                    next.add(chosen);
                }
            }
            out = next;
        }
        return out;
    }
}
