package org.escadrille.boutiques.validation;

import java.util.ArrayList;
import java.util.List;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.Pointer;
import org.escadrille.boutiques.json.PythonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * bosh's rules for value-requires and value-disables: one entry per value choice, naming existing
 * optional inputs, and no choice both requiring and disabling the same input.
 */
final class ValueOptionRules {

    private ValueOptionRules() {
    }

    static void check(DescriptorView v, JsonNode in, String at, String id, List<Problem> out) {
        JsonNode choices = in.get("value-choices");
        JsonNode requires = in.get("value-requires");
        JsonNode disables = in.get("value-disables");
        if (requires != null && disables != null) {
            for (JsonNode choice : choices) {
                JsonNode disabled = choice.isString() ? disables.get(choice.stringValue()) : null;
                List<JsonNode> items = disabled == null ? null : InputRules.pyIterate(disabled);
                if (items == null) {
                    out.add(Problem.at(Pointer.child(at, "value-disables"), "input \"%s\" needs a list of inputs in "
                            + "value-disables for choice %s", id, PythonValues.repr(choice)));
                    continue;
                }
                for (JsonNode item : items) {
                    JsonNode required = requires.get(choice.stringValue());
                    if (required == null || !(required.isArray() || required.isString() || required.isObject())
                            || (required.isString() && !item.isString())) {
                        out.add(Problem.at(Pointer.child(at, "value-requires"), "input \"%s\" needs a list of inputs in "
                                + "value-requires for choice %s", id, PythonValues.repr(choice)));
                        break;
                    }
                    if (pyIn(item, required)) {
                        out.add(Problem.at(at, "input \"%s\": choice %s both requires and disables %s", id,
                                PythonValues.repr(choice), PythonValues.repr(item)));
                    }
                }
            }
        }
        for (String param : List.of("value-requires", "value-disables")) {
            JsonNode map = in.get(param);
            if (map == null) {
                continue;
            }
            String where = Pointer.child(at, param);
            if (!sameKeys(map, choices)) {
                out.add(Problem.at(where, "the keys of %s of input \"%s\" must be exactly its value-choices", param, id));
            }
            for (var entry : map.properties()) {
                List<JsonNode> items = InputRules.pyIterate(entry.getValue());
                if (items == null) {
                    out.add(Problem.at(Pointer.child(where, entry.getKey()), "must be a list of input ids"));
                    continue;
                }
                for (JsonNode item : items) {
                    if (!(item.isString() && v.inputIds.contains(item.stringValue()))) {
                        out.add(Problem.at(Pointer.child(where, entry.getKey()), "%s is not an input id",
                                PythonValues.repr(item)));
                    } else if (!v.isOptional(item.stringValue())) {
                        out.add(Problem.at(Pointer.child(where, entry.getKey()), "cannot name \"%s\", which is a "
                                + "required input", item.stringValue()));
                    }
                }
            }
        }
    }

    private static boolean pyIn(JsonNode item, JsonNode container) {
        if (container.isArray()) {
            return PythonValues.pyContains(container, item);
        }
        if (container.isObject()) {
            return item.isString() && container.has(item.stringValue());
        }
        return container.stringValue().contains(item.stringValue());
    }

    // Python: set(value-map keys) == set(value-choices); keys are strings, so numeric choices never match.
    private static boolean sameKeys(JsonNode map, JsonNode choices) {
        List<JsonNode> distinctChoices = new ArrayList<>();
        for (JsonNode c : choices) {
            if (!PythonValues.pyContains(asArray(distinctChoices), c)) {
                distinctChoices.add(c);
            }
        }
        if (distinctChoices.size() != map.size()) {
            return false;
        }
        for (JsonNode c : distinctChoices) {
            if (!c.isString() || !map.has(c.stringValue())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode asArray(List<JsonNode> nodes) {
        var array = JsonNodeFactory.instance.arrayNode();
        nodes.forEach(array::add);
        return array;
    }
}
