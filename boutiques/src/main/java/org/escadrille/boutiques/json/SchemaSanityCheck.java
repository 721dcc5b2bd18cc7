package org.escadrille.boutiques.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.boutiques.Problem;
import tools.jackson.databind.JsonNode;

/**
 * Checks a JSON schema against the constraints of the draft-04 meta-schema that matter in practice
 * (bosh runs {@code Draft4Validator.check_schema} before validating an invocation, and refuses the
 * invocation when the schema is malformed: an empty {@code enum}, a {@code required} list with
 * duplicates, a fractional {@code minItems}...).
 */
public final class SchemaSanityCheck {

    private static final Set<String> TYPE_NAMES = Set.of("array", "boolean", "integer", "null", "number", "object",
            "string");
    private static final Set<String> COUNTS = Set.of("minItems", "maxItems", "minLength", "maxLength",
            "minProperties", "maxProperties");
    private static final int MAX_DEPTH = 64;

    private SchemaSanityCheck() {
    }

    /** Every meta-schema violation in {@code schema}, located by a pointer into the schema. */
    public static List<Problem> check(JsonNode schema, String location) {
        List<Problem> out = new ArrayList<>();
        check(schema, location, out, 0);
        return out;
    }

    private static void check(JsonNode schema, String at, List<Problem> out, int depth) {
        if (!schema.isObject()) {
            out.add(Problem.at(at, "a schema must be a JSON object, found %s", JsonValues.typeName(schema)));
            return;
        }
        if (depth > MAX_DEPTH) {
            out.add(Problem.at(at, "the schema nests too deeply to be checked"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : schema.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            String where = Pointer.child(at, key);
            switch (key) {
                case "id", "$schema", "title", "description", "$ref", "pattern" -> requireString(value, where, out);
                case "type" -> checkType(value, where, out);
                case "enum" -> checkNonEmptyUniqueArray(value, where, out, false);
                case "required" -> checkNonEmptyUniqueArray(value, where, out, true);
                case "allOf", "anyOf", "oneOf" -> checkSchemaArray(value, where, out, depth);
                case "not" -> check(value, where, out, depth + 1);
                case "properties", "patternProperties", "definitions" -> checkSchemaMap(value, where, out, depth);
                case "additionalProperties", "additionalItems" -> {
                    if (!value.isBoolean()) {
                        check(value, where, out, depth + 1);
                    }
                }
                case "items" -> {
                    if (value.isArray()) {
                        checkSchemaArray(value, where, out, depth);
                    } else {
                        check(value, where, out, depth + 1);
                    }
                }
                case "dependencies" -> checkDependencies(value, where, out, depth);
                case "minimum", "maximum" -> {
                    if (!value.isNumber()) {
                        out.add(Problem.at(where, "must be a number"));
                    }
                }
                case "multipleOf" -> {
                    if (!value.isNumber() || JsonValues.compareNumbers(JsonValues.numericValue(value),
                            BigDecimal.ZERO) <= 0) {
                        out.add(Problem.at(where, "must be a number greater than 0"));
                    }
                }
                case "exclusiveMinimum", "exclusiveMaximum", "uniqueItems" -> {
                    if (!value.isBoolean()) {
                        out.add(Problem.at(where, "must be true or false"));
                    }
                }
                default -> {
                    if (COUNTS.contains(key) && !(value.isIntegralNumber() && value.bigIntegerValue().signum() >= 0)) {
                        out.add(Problem.at(where, "must be a non-negative integer (written without a fraction), found %s",
                                JsonSchemaValidator.abbreviate(value)));
                    }
                }
            }
        }
        if (schema.has("exclusiveMinimum") && !schema.has("minimum")) {
            out.add(Problem.at(at, "exclusiveMinimum needs a minimum"));
        }
        if (schema.has("exclusiveMaximum") && !schema.has("maximum")) {
            out.add(Problem.at(at, "exclusiveMaximum needs a maximum"));
        }
    }

    private static void requireString(JsonNode value, String where, List<Problem> out) {
        if (!value.isString()) {
            out.add(Problem.at(where, "must be a string"));
        }
    }

    private static void checkType(JsonNode value, String where, List<Problem> out) {
        if (value.isString()) {
            if (!TYPE_NAMES.contains(value.stringValue())) {
                out.add(Problem.at(where, "\"%s\" is not a JSON-Schema type", value.stringValue()));
            }
            return;
        }
        if (!value.isArray() || value.isEmpty() || JsonValues.firstDuplicate(value) >= 0) {
            out.add(Problem.at(where, "must be a type name or a non-empty list of distinct type names"));
            return;
        }
        for (JsonNode each : value) {
            if (!each.isString() || !TYPE_NAMES.contains(each.stringValue())) {
                out.add(Problem.at(where, "%s is not a JSON-Schema type", JsonSchemaValidator.abbreviate(each)));
            }
        }
    }

    private static void checkNonEmptyUniqueArray(JsonNode value, String where, List<Problem> out, boolean strings) {
        if (!value.isArray() || value.isEmpty()) {
            out.add(Problem.at(where, "must be a non-empty list"));
            return;
        }
        int duplicate = JsonValues.firstDuplicate(value);
        if (duplicate >= 0) {
            out.add(Problem.at(where, "lists %s more than once", JsonSchemaValidator.abbreviate(value.get(duplicate))));
        }
        if (strings) {
            for (JsonNode each : value) {
                if (!each.isString()) {
                    out.add(Problem.at(where, "must list strings only"));
                    break;
                }
            }
        }
    }

    private static void checkSchemaArray(JsonNode value, String where, List<Problem> out, int depth) {
        if (!value.isArray() || value.isEmpty()) {
            out.add(Problem.at(where, "must be a non-empty list of schemas"));
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            check(value.get(i), Pointer.child(where, i), out, depth + 1);
        }
    }

    private static void checkSchemaMap(JsonNode value, String where, List<Problem> out, int depth) {
        if (!value.isObject()) {
            out.add(Problem.at(where, "must be an object of schemas"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            check(e.getValue(), Pointer.child(where, e.getKey()), out, depth + 1);
        }
    }

    private static void checkDependencies(JsonNode value, String where, List<Problem> out, int depth) {
        if (!value.isObject()) {
            out.add(Problem.at(where, "must be an object"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String at = Pointer.child(where, e.getKey());
            if (e.getValue().isArray()) {
                checkNonEmptyUniqueArray(e.getValue(), at, out, true);
            } else {
                check(e.getValue(), at, out, depth + 1);
            }
        }
    }
}
