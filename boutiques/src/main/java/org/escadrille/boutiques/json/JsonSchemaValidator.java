package org.escadrille.boutiques.json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.escadrille.boutiques.Problem;
import tools.jackson.databind.JsonNode;

/**
 * A small JSON-Schema draft-04 validator, enough for the invocation schemas bosh generates or finds in a
 * descriptor's {@code invocation-schema}. It reports every failure, not just the first. A subschema
 * carrying {@value #MESSAGE_KEYWORD} reports that one sentence instead of its inner failures, which is how
 * generated schemas explain group and requires/disables rules in a tool author's words.
 */
public final class JsonSchemaValidator {

    /** Extension keyword: the message to report when this subschema fails (ignored by other validators). */
    public static final String MESSAGE_KEYWORD = "x-escadrille-message";

    private static final int MAX_DEPTH = 64;

    private final JsonNode root;
    private final Map<String, Pattern> patterns = new HashMap<>();

    public JsonSchemaValidator(JsonNode rootSchema) {
        this.root = rootSchema;
    }

    /** Every way {@code instance} breaks the schema; empty when it is valid. */
    public List<Problem> validate(JsonNode instance) {
        List<Problem> out = new ArrayList<>();
        validate(root, instance, "", out, 0);
        return out;
    }

    private boolean isValid(JsonNode schema, JsonNode instance, String path, int depth) {
        List<Problem> scratch = new ArrayList<>();
        validate(schema, instance, path, scratch, depth);
        return scratch.isEmpty();
    }

    private void validate(JsonNode schema, JsonNode instance, String path, List<Problem> out, int depth) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        if (depth > MAX_DEPTH) {
            out.add(Problem.at(path, "the invocation schema nests too deeply (or refers to itself) to be checked"));
            return;
        }
        List<Problem> found = new ArrayList<>();
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isString()) {
            JsonNode target = resolve(ref.stringValue());
            if (target == null) {
                found.add(Problem.at(path, "the invocation schema refers to \"%s\", which does not exist", ref.stringValue()));
            } else {
                validate(target, instance, path, found, depth + 1);
            }
        } else {
            checkGeneric(schema, instance, path, found, depth);
            if (instance.isObject()) {
                checkObject(schema, instance, path, found, depth);
            } else if (instance.isArray()) {
                checkArray(schema, instance, path, found, depth);
            } else if (instance.isNumber()) {
                ScalarKeywords.checkNumber(schema, instance, path, found);
            } else if (instance.isString()) {
                ScalarKeywords.checkString(schema, instance, path, found, this::pattern);
            }
        }
        JsonNode message = schema.get(MESSAGE_KEYWORD);
        if (!found.isEmpty() && message != null && message.isString()) {
            out.add(new Problem(path, message.stringValue()));
        } else {
            out.addAll(found);
        }
    }

    private void checkGeneric(JsonNode schema, JsonNode instance, String path, List<Problem> out, int depth) {
        JsonNode type = schema.get("type");
        if (type != null && !matchesType(type, instance)) {
            out.add(Problem.at(path, "expected %s, found %s %s", describeType(type), JsonValues.typeName(instance),
                    abbreviate(instance)));
        }
        JsonNode choices = schema.get("enum");
        if (choices != null && choices.isArray() && !JsonValues.containsBySchema(choices, instance)) {
            out.add(Problem.at(path, "%s is not one of the allowed values %s", abbreviate(instance), abbreviate(choices)));
        }
        JsonNode allOf = schema.get("allOf");
        if (allOf != null && allOf.isArray()) {
            for (JsonNode each : allOf) {
                validate(each, instance, path, out, depth + 1);
            }
        }
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf != null && anyOf.isArray()) {
            List<Problem> branches = new ArrayList<>();
            boolean any = false;
            for (JsonNode each : anyOf) {
                List<Problem> branch = new ArrayList<>();
                validate(each, instance, path, branch, depth + 1);
                any |= branch.isEmpty();
                branches.addAll(branch);
            }
            if (!any) {
                out.add(Problem.at(path, "matches none of the allowed alternatives (%s)", summarize(branches)));
            }
        }
        JsonNode oneOf = schema.get("oneOf");
        if (oneOf != null && oneOf.isArray()) {
            int valid = 0;
            for (JsonNode each : oneOf) {
                valid += isValid(each, instance, path, depth + 1) ? 1 : 0;
            }
            if (valid != 1) {
                out.add(Problem.at(path, "must match exactly one of %d alternatives, matches %d", oneOf.size(), valid));
            }
        }
        JsonNode not = schema.get("not");
        if (not != null && not.isObject() && isValid(not, instance, path, depth + 1)) {
            out.add(Problem.at(path, "must not be given here"));
        }
    }

    private void checkObject(JsonNode schema, JsonNode instance, String path, List<Problem> out, int depth) {
        JsonNode properties = schema.get("properties");
        JsonNode patternProperties = schema.get("patternProperties");
        JsonNode additional = schema.get("additionalProperties");
        for (String key : instance.propertyNames()) {
            String childPath = Pointer.child(path, key);
            boolean known = false;
            if (properties != null && properties.isObject() && properties.has(key)) {
                known = true;
                validate(properties.get(key), instance.get(key), childPath, out, depth + 1);
            }
            if (patternProperties != null && patternProperties.isObject()) {
                for (Map.Entry<String, JsonNode> p : patternProperties.properties()) {
                    Pattern pattern = pattern(p.getKey(), path, out);
                    if (pattern != null && pattern.matcher(key).find()) {
                        known = true;
                        validate(p.getValue(), instance.get(key), childPath, out, depth + 1);
                    }
                }
            }
            if (!known && additional != null) {
                if (additional.isBoolean() && !additional.booleanValue()) {
                    out.add(Problem.at(childPath, "\"%s\" is not allowed here (unknown id)", key));
                } else if (additional.isObject()) {
                    validate(additional, instance.get(key), childPath, out, depth + 1);
                }
            }
        }
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
            for (JsonNode name : required) {
                if (name.isString() && !instance.has(name.stringValue())) {
                    out.add(Problem.at(Pointer.child(path, name.stringValue()), "\"%s\" is required but missing",
                            name.stringValue()));
                }
            }
        }
        JsonNode dependencies = schema.get("dependencies");
        if (dependencies != null && dependencies.isObject()) {
            for (Map.Entry<String, JsonNode> d : dependencies.properties()) {
                if (!instance.has(d.getKey())) {
                    continue;
                }
                if (d.getValue().isArray()) {
                    for (JsonNode name : d.getValue()) {
                        if (name.isString() && !instance.has(name.stringValue())) {
                            out.add(Problem.at(path, "\"%s\" is given, so \"%s\" is required", d.getKey(),
                                    name.stringValue()));
                        }
                    }
                } else {
                    validate(d.getValue(), instance, path, out, depth + 1);
                }
            }
        }
        ScalarKeywords.checkCount(schema, "minProperties", instance.size(), true, path, "properties", out);
        ScalarKeywords.checkCount(schema, "maxProperties", instance.size(), false, path, "properties", out);
    }

    private void checkArray(JsonNode schema, JsonNode instance, String path, List<Problem> out, int depth) {
        JsonNode items = schema.get("items");
        if (items != null && items.isObject()) {
            for (int i = 0; i < instance.size(); i++) {
                validate(items, instance.get(i), Pointer.child(path, i), out, depth + 1);
            }
        } else if (items != null && items.isArray()) {
            JsonNode additional = schema.get("additionalItems");
            for (int i = 0; i < instance.size(); i++) {
                String itemPath = Pointer.child(path, i);
                if (i < items.size()) {
                    validate(items.get(i), instance.get(i), itemPath, out, depth + 1);
                } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                    out.add(Problem.at(itemPath, "no more than %d entries are allowed", items.size()));
                } else if (additional != null && additional.isObject()) {
                    validate(additional, instance.get(i), itemPath, out, depth + 1);
                }
            }
        }
        ScalarKeywords.checkCount(schema, "minItems", instance.size(), true, path, "entries", out);
        ScalarKeywords.checkCount(schema, "maxItems", instance.size(), false, path, "entries", out);
        JsonNode unique = schema.get("uniqueItems");
        if (unique != null && unique.isBoolean() && unique.booleanValue()) {
            int duplicate = JsonValues.firstDuplicate(instance);
            if (duplicate >= 0) {
                out.add(Problem.at(Pointer.child(path, duplicate), "entries must all differ, %s appears twice",
                        abbreviate(instance.get(duplicate))));
            }
        }
    }

    Pattern pattern(String regex, String path, List<Problem> out) {
        if (!patterns.containsKey(regex)) {
            Pattern compiled;
            try {
                // Python's "$" matches before a final "\n" only; UNIX_LINES gives Java the same rule.
                compiled = Pattern.compile(regex, Pattern.UNIX_LINES);
            } catch (PatternSyntaxException e) {
                compiled = null;
            }
            patterns.put(regex, compiled);
        }
        Pattern compiled = patterns.get(regex);
        if (compiled == null) {
            out.add(Problem.at(path, "the invocation schema has a pattern that is not a valid regular expression: %s",
                    regex));
        }
        return compiled;
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) {
            return null;
        }
        String pointer = ref.substring(1);
        if (pointer.isEmpty()) {
            return root;
        }
        if (!pointer.startsWith("/")) {
            return null;
        }
        try {
            JsonNode target = root.at(pointer);
            return target.isMissingNode() ? null : target;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean matchesType(JsonNode type, JsonNode instance) {
        if (type.isString()) {
            return JsonValues.hasType(instance, type.stringValue());
        }
        if (type.isArray()) {
            for (JsonNode each : type) {
                if (each.isString() && JsonValues.hasType(instance, each.stringValue())) {
                    return true;
                }
                if (each.isObject()) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private static String describeType(JsonNode type) {
        if (type.isString()) {
            return "a value of type " + type.stringValue();
        }
        List<String> names = new ArrayList<>();
        type.forEach(t -> names.add(t.isString() ? t.stringValue() : "schema"));
        return "a value of type " + String.join(" or ", names);
    }

    private static String summarize(List<Problem> problems) {
        List<String> parts = new ArrayList<>();
        for (Problem p : problems) {
            if (parts.size() == 3) {
                parts.add("...");
                break;
            }
            parts.add((p.location().isEmpty() ? "" : p.location() + ": ") + p.message());
        }
        return String.join("; ", parts);
    }

    /** Short JSON text of a value for messages. */
    static String abbreviate(JsonNode value) {
        String text = JsonDocuments.write(value);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
