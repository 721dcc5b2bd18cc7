package org.escadrille.boutiques.validation;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.escadrille.boutiques.json.JsonValues;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;

/** The descriptor schema's rules for one entry of {@code output-files}. */
final class OutputSchemaRules {

    private static final Set<String> FIELDS = Set.of("id", "name", "description", "value-key", "path-template",
            "conditional-path-template", "path-template-stripped-extensions", "list", "optional", "command-line-flag",
            "command-line-flag-separator", "uses-absolute-path", "file-template");
    // The schema applies this pattern to a property literally named "propertyNames" (a slip in the schema
    // that bosh inherits); the check mirrors it so that the same descriptors pass.
    private static final Pattern PROPERTY_NAMES = Pattern.compile("^[A-Za-z0-9_><=!)( ]*$", Pattern.UNIX_LINES);

    private OutputSchemaRules() {
    }

    static void check(SchemaCheck c, JsonNode out, String at) {
        if (!c.isObject(out, at, "an output file")) {
            return;
        }
        c.allowOnly(out, at, FIELDS, "an output file");
        c.require(out, at, "an output file", "id", "name");
        c.identifier(out, at, "id");
        c.string(out, at, "name", true);
        c.string(out, at, "description", false);
        c.string(out, at, "value-key", false);
        c.string(out, at, "path-template", true);
        c.string(out, at, "command-line-flag", false);
        c.string(out, at, "command-line-flag-separator", false);
        for (String field : List.of("list", "optional", "uses-absolute-path")) {
            c.bool(out, at, field);
        }
        c.stringArray(out, at, "path-template-stripped-extensions", 0);
        c.stringArray(out, at, "file-template", 1);
        JsonNode conditional = c.array(out, at, "conditional-path-template", 0, false);
        if (conditional != null) {
            for (int i = 0; i < conditional.size(); i++) {
                JsonNode entry = conditional.get(i);
                String where = Pointer.child(Pointer.child(at, "conditional-path-template"), i);
                if (!entry.isObject()) {
                    c.add(where, "must be an object {\"condition\": \"path\"}, found %s", JsonValues.typeName(entry));
                    continue;
                }
                JsonNode names = entry.get("propertyNames");
                if (names != null && names.isString() && !PROPERTY_NAMES.matcher(names.stringValue()).find()) {
                    c.add(Pointer.child(where, "propertyNames"), "does not match %s", PROPERTY_NAMES.pattern());
                }
            }
        }
        // oneOf of the schema: exactly one of path-template and conditional-path-template.
        boolean noPath = isAbsentOrTrue(out.get("path-template"));
        boolean noConditional = isAbsentOrTrue(out.get("conditional-path-template"));
        if (noPath == noConditional) {
            c.add(at, noPath ? "an output file needs a \"path-template\" or a \"conditional-path-template\""
                    : "an output file takes a \"path-template\" or a \"conditional-path-template\", not both");
        }
        // anyOf of the schema: a configuration file (file-template) cannot be a list.
        JsonNode template = out.get("file-template");
        JsonNode list = out.get("list");
        boolean templateOk = template == null || (template.isArray() && !template.isEmpty()
                && allStrings(template));
        boolean listOk = list == null || (list.isBoolean() && !list.booleanValue());
        boolean noTemplate = template == null || (template.isBoolean() && !template.booleanValue());
        if (!(templateOk && listOk) && !noTemplate && template.isArray() && templateOk) {
            c.add(Pointer.child(at, "list"), "an output file with a file-template cannot be a list");
        }
        c.dependsOn(out, at, "command-line-flag-separator", "command-line-flag");
    }

    private static boolean isAbsentOrTrue(JsonNode value) {
        return value == null || (value.isBoolean() && value.booleanValue());
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode each : array) {
            if (!each.isString()) {
                return false;
            }
        }
        return true;
    }
}
