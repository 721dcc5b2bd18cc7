package org.escadrille.boutiques.validation;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.JsonValues;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;

/**
 * The JSON-Schema keywords of the Boutiques descriptor schema, as small checks that each add a problem in
 * a tool author's words. Each check applies only when its field is present, as in JSON Schema.
 */
final class SchemaCheck {

    /** Identifier pattern of the schema; UNIX_LINES makes "$" behave like Python's (before a final "\n"). */
    static final Pattern ID = Pattern.compile("^[0-9,_,a-z,A-Z]*$", Pattern.UNIX_LINES);

    final List<Problem> out;

    SchemaCheck(List<Problem> out) {
        this.out = out;
    }

    void add(String at, String format, Object... args) {
        out.add(Problem.at(at, format, args));
    }

    boolean isObject(JsonNode value, String at, String what) {
        if (!value.isObject()) {
            add(at, "%s must be a JSON object, found %s", what, JsonValues.typeName(value));
            return false;
        }
        return true;
    }

    void allowOnly(JsonNode object, String at, Set<String> allowed, String what) {
        for (String key : object.propertyNames()) {
            if (!allowed.contains(key)) {
                add(Pointer.child(at, key), "\"%s\" is not a field of %s (check its spelling)", key, what);
            }
        }
    }

    void require(JsonNode object, String at, String what, String... fields) {
        for (String field : fields) {
            if (!object.has(field)) {
                add(Pointer.child(at, field), "%s needs a \"%s\"", what, field);
            }
        }
    }

    void string(JsonNode object, String at, String field, boolean nonEmpty) {
        JsonNode value = object.get(field);
        if (value == null) {
            return;
        }
        if (!value.isString()) {
            add(Pointer.child(at, field), "must be a %sstring, found %s", nonEmpty ? "non-empty " : "",
                    JsonValues.typeName(value));
        } else if (nonEmpty && value.stringValue().isEmpty()) {
            add(Pointer.child(at, field), "must not be empty");
        }
    }

    void identifier(JsonNode object, String at, String field) {
        string(object, at, field, true);
        JsonNode value = object.get(field);
        if (value != null && value.isString() && !value.stringValue().isEmpty() && !ID.matcher(value.stringValue()).find()) {
            add(Pointer.child(at, field), "\"%s\" may hold only letters, digits, underscores (and commas)",
                    value.stringValue());
        }
    }

    void bool(JsonNode object, String at, String field) {
        JsonNode value = object.get(field);
        if (value != null && !value.isBoolean()) {
            add(Pointer.child(at, field), "must be true or false, found %s", JsonValues.typeName(value));
        }
    }

    void number(JsonNode object, String at, String field, boolean integer, Integer minimum) {
        JsonNode value = object.get(field);
        if (value == null) {
            return;
        }
        String where = Pointer.child(at, field);
        if (integer ? !value.isIntegralNumber() : !value.isNumber()) {
            add(where, "must be %s, found %s", integer ? "an integer (written without a fraction)" : "a number",
                    JsonValues.typeName(value));
        } else if (minimum != null && JsonValues.compareNumbers(JsonValues.numericValue(value),
                new BigDecimal(minimum)) < 0) {
            add(where, "must be at least %d", minimum);
        }
    }

    void objectField(JsonNode object, String at, String field) {
        JsonNode value = object.get(field);
        if (value != null && !value.isObject()) {
            add(Pointer.child(at, field), "must be a JSON object, found %s", JsonValues.typeName(value));
        }
    }

    /** The array in {@code field}, or null when absent or not an array (a problem is added for the latter). */
    JsonNode array(JsonNode object, String at, String field, int minItems, boolean unique) {
        JsonNode value = object.get(field);
        if (value == null) {
            return null;
        }
        String where = Pointer.child(at, field);
        if (!value.isArray()) {
            add(where, "must be a list, found %s", JsonValues.typeName(value));
            return null;
        }
        if (value.size() < minItems) {
            add(where, "must list at least %d entr%s", minItems, minItems == 1 ? "y" : "ies");
        }
        if (unique) {
            int duplicate = JsonValues.firstDuplicate(value);
            if (duplicate >= 0) {
                add(Pointer.child(where, duplicate), "is an exact copy of an earlier entry");
            }
        }
        return value;
    }

    void stringArray(JsonNode object, String at, String field, int minItems) {
        JsonNode array = array(object, at, field, minItems, false);
        if (array == null) {
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isString()) {
                add(Pointer.child(Pointer.child(at, field), i), "must be a string, found %s",
                        JsonValues.typeName(array.get(i)));
            }
        }
    }

    void dependsOn(JsonNode object, String at, String field, String needed) {
        if (object.has(field) && !object.has(needed)) {
            add(Pointer.child(at, field), "\"%s\" is only allowed together with \"%s\"", field, needed);
        }
    }
}
