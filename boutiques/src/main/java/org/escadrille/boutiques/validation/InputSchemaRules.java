package org.escadrille.boutiques.validation;

import java.util.List;
import java.util.Set;
import org.escadrille.boutiques.json.JsonValues;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;

/** The descriptor schema's rules for one entry of {@code inputs}: fields, types and their dependencies. */
final class InputSchemaRules {

    private static final Set<String> FIELDS = Set.of("id", "name", "type", "description", "value-key", "list",
            "list-separator", "optional", "command-line-flag", "requires-inputs", "disables-inputs",
            "command-line-flag-separator", "default-value", "value-choices", "value-requires", "value-disables",
            "integer", "minimum", "maximum", "exclusive-minimum", "exclusive-maximum", "min-list-entries",
            "max-list-entries", "uses-absolute-path");
    private static final Set<String> TYPES = Set.of("String", "File", "Flag", "Number");

    private InputSchemaRules() {
    }

    static void check(SchemaCheck c, JsonNode in, String at) {
        if (!c.isObject(in, at, "an input")) {
            return;
        }
        c.allowOnly(in, at, FIELDS, "an input");
        c.require(in, at, "an input", "name", "id", "type");
        c.identifier(in, at, "id");
        c.string(in, at, "name", true);
        JsonNode type = in.get("type");
        String typeName = type != null && type.isString() ? type.stringValue() : null;
        if (type != null && (typeName == null || !TYPES.contains(typeName))) {
            c.add(Pointer.child(at, "type"), "must be String, File, Flag or Number, found %s",
                    type.isString() ? "\"" + typeName + "\"" : JsonValues.typeName(type));
        }
        for (String field : List.of("description", "value-key", "list-separator", "command-line-flag",
                "command-line-flag-separator")) {
            c.string(in, at, field, false);
        }
        for (String field : List.of("list", "optional", "integer", "exclusive-minimum", "exclusive-maximum",
                "uses-absolute-path")) {
            c.bool(in, at, field);
        }
        for (String field : List.of("minimum", "maximum", "min-list-entries", "max-list-entries")) {
            c.number(in, at, field, false, null);
        }
        c.stringArray(in, at, "requires-inputs", 0);
        c.stringArray(in, at, "disables-inputs", 0);
        c.objectField(in, at, "value-requires");
        c.objectField(in, at, "value-disables");
        JsonNode choices = c.array(in, at, "value-choices", 0, false);
        if (choices != null) {
            for (int i = 0; i < choices.size(); i++) {
                if (!choices.get(i).isString() && !choices.get(i).isNumber()) {
                    c.add(Pointer.child(Pointer.child(at, "value-choices"), i), "a choice must be a string or a number, "
                            + "found %s", JsonValues.typeName(choices.get(i)));
                }
            }
        }
        JsonNode list = in.get("list");
        if ("Flag".equals(typeName) && list != null && !(list.isBoolean() && !list.booleanValue())) {
            c.add(Pointer.child(at, "list"), "an input of type Flag cannot be a list");
        }
        c.dependsOn(in, at, "command-line-flag-separator", "command-line-flag");
        c.dependsOn(in, at, "min-list-entries", "list");
        c.dependsOn(in, at, "max-list-entries", "list");
        c.dependsOn(in, at, "list-separator", "list");
        c.dependsOn(in, at, "exclusive-minimum", "minimum");
        c.dependsOn(in, at, "exclusive-maximum", "maximum");
        c.dependsOn(in, at, "value-disables", "value-choices");
        if (type != null) {
            onlyForTypes(c, in, at, type, "value-choices", "String", "Number");
            onlyForTypes(c, in, at, type, "integer", "Number");
            onlyForTypes(c, in, at, type, "minimum", "Number");
            onlyForTypes(c, in, at, type, "maximum", "Number");
            onlyForTypes(c, in, at, type, "uses-absolute-path", "File");
        }
    }

    private static void onlyForTypes(SchemaCheck c, JsonNode in, String at, JsonNode type, String field,
            String... types) {
        if (in.has(field) && !(type.isString() && List.of(types).contains(type.stringValue()))) {
            c.add(Pointer.child(at, field), "\"%s\" is only allowed on inputs of type %s", field,
                    String.join(" or ", types));
        }
    }
}
