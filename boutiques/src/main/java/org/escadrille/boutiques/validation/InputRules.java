package org.escadrille.boutiques.validation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.JsonValues;
import org.escadrille.boutiques.json.Pointer;
import org.escadrille.boutiques.json.PythonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * bosh's semantic rules for each input: flags, number bounds, value choices and their defaults, list
 * entry counts, requires/disables-inputs and value-requires/value-disables.
 */
final class InputRules {

    private InputRules() {
    }

    static void check(DescriptorView v, List<Problem> out) {
        for (int i = 0; i < v.inputs.size(); i++) {
            JsonNode in = v.inputs.get(i);
            String at = Pointer.child("/inputs", i);
            String id = in.get("id").stringValue();
            boolean optional = DescriptorView.truthy(in, "optional");
            String type = in.get("type").stringValue();
            if (type.equals("Flag")) {
                if (!in.has("command-line-flag")) {
                    out.add(Problem.at(at, "input \"%s\" is a Flag and needs a command-line-flag", id));
                }
                if (!optional) {
                    out.add(Problem.at(at, "input \"%s\" is a Flag and must be optional", id));
                }
            } else if (type.equals("Number")) {
                JsonNode min = in.get("minimum");
                JsonNode max = in.get("maximum");
                if (min != null && max != null && JsonValues.compareNumbers(min, max) > 0) {
                    out.add(Problem.at(at, "input \"%s\" has a minimum (%s) greater than its maximum (%s)", id,
                            PythonValues.str(min), PythonValues.str(max)));
                }
            } else if (in.has("value-choices")) {
                valueChoices(in, at, id, out);
            }
            if (in.has("list")) {
                listEntries(in, at, id, out);
            }
            requiresAndDisables(v, in, at, id, optional, out);
            if ((in.has("value-disables") || in.has("value-requires")) && !in.has("value-choices")) {
                out.add(Problem.at(at, "input \"%s\" has value-requires or value-disables but no value-choices", id));
            }
            if (in.has("value-choices")) {
                ValueOptionRules.check(v, in, at, id, out);
            }
        }
    }

    private static void valueChoices(JsonNode in, String at, String id, List<Problem> out) {
        JsonNode choices = in.get("value-choices");
        if (choices.isEmpty()) {
            out.add(Problem.at(at, "input \"%s\" must have at least one value choice", id));
        }
        JsonNode dflt = in.get("default-value");
        if (dflt == null) {
            return;
        }
        List<JsonNode> defaults = new ArrayList<>();
        if (dflt.isArray()) {
            dflt.forEach(defaults::add);
        } else {
            defaults.add(dflt);
        }
        for (JsonNode d : defaults) {
            if (!PythonValues.pyContains(choices, d)) {
                out.add(Problem.at(Pointer.child(at, "default-value"), "default %s of input \"%s\" is not one of its "
                        + "value-choices", PythonValues.repr(d), id));
            }
        }
    }

    private static void listEntries(JsonNode in, String at, String id, List<Problem> out) {
        JsonNode minNode = in.get("min-list-entries");
        JsonNode maxNode = in.get("max-list-entries");
        // bosh: "min or 0", "max or infinity": a 0 maximum means no maximum.
        BigDecimal min = PythonValues.truthy(minNode) ? decimal(minNode) : BigDecimal.ZERO;
        BigDecimal max = PythonValues.truthy(maxNode) ? decimal(maxNode) : null;
        if (max != null && min.compareTo(max) > 0) {
            out.add(Problem.at(at, "input \"%s\" has min-list-entries (%s) greater than max-list-entries (%s)", id,
                    PythonValues.str(minNode), PythonValues.str(maxNode)));
        }
        if (min.signum() < 0) {
            out.add(Problem.at(at, "input \"%s\" cannot have a negative min-list-entries", id));
        }
        if (max != null && max.signum() <= 0) {
            out.add(Problem.at(at, "input \"%s\" must have a positive max-list-entries", id));
        }
    }

    private static BigDecimal decimal(JsonNode n) {
        Object value = JsonValues.numericValue(n);
        if (value instanceof BigDecimal d) {
            return d;
        }
        double d = (Double) value;
        return d > 0 ? new BigDecimal("1e400") : new BigDecimal("-1e400");
    }

    private static void requiresAndDisables(DescriptorView v, JsonNode in, String at, String id, boolean optional,
            List<Problem> out) {
        List<String> requires = DescriptorView.strings(in, "requires-inputs");
        List<String> disables = DescriptorView.strings(in, "disables-inputs");
        for (String r : requires) {
            if (!v.inputIds.contains(r) && !v.groupIds.contains(r)) {
                out.add(Problem.at(Pointer.child(at, "requires-inputs"), "input \"%s\" requires \"%s\", which is "
                        + "neither an input nor a group", id, r));
            }
        }
        for (String d : disables) {
            if (!v.inputIds.contains(d)) {
                out.add(Problem.at(Pointer.child(at, "disables-inputs"), "input \"%s\" disables \"%s\", which is not "
                        + "an input", id, d));
            }
        }
        Set<String> both = new HashSet<>(requires);
        both.retainAll(disables);
        for (String d : both) {
            out.add(Problem.at(at, "input \"%s\" both requires and disables \"%s\"", id, d));
        }
        for (String d : disables) {
            if (v.isInput(d) && !v.isOptional(d)) {
                out.add(Problem.at(Pointer.child(at, "disables-inputs"), "input \"%s\" disables \"%s\", which is "
                        + "required", id, d));
            }
        }
        if ((in.has("requires-inputs") || in.has("disables-inputs")) && !optional) {
            out.add(Problem.at(at, "input \"%s\" is required, so it cannot require or disable other inputs", id));
        }
    }

    /** Python's iteration over a JSON value: list items, string characters, object keys; null when impossible. */
    static List<JsonNode> pyIterate(JsonNode value) {
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        } else if (value.isString()) {
            value.stringValue().codePoints()
                    .forEach(cp -> items.add(JsonNodeFactory.instance.stringNode(new String(Character.toChars(cp)))));
        } else if (value.isObject()) {
            value.propertyNames().forEach(k -> items.add(JsonNodeFactory.instance.stringNode(k)));
        } else {
            return null;
        }
        return items;
    }
}
