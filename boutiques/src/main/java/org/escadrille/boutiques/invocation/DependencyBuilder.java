package org.escadrille.boutiques.invocation;

import java.util.ArrayList;
import java.util.List;
import org.escadrille.boutiques.json.JsonSchemaValidator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code dependencies} entry of one input in bosh's invocation schema (a port of
 * {@code handleDisablesRequires}): what must be given, and what must not, when the input is given. Maps
 * shared between branches stay shared, as in bosh, because later updates reach every branch.
 */
final class DependencyBuilder {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final InvocationSchemaGenerator schema;
    private final JsonNode input;
    private final String id;

    DependencyBuilder(InvocationSchemaGenerator schema, JsonNode input) {
        this.schema = schema;
        this.input = input;
        this.id = input.get("id").stringValue();
    }

    void addTo(ObjectNode dependencies) {
        List<String> requires = InvocationSchemaGenerator.strings(input.get("requires-inputs"));
        List<String> disables = InvocationSchemaGenerator.strings(input.get("disables-inputs"));
        List<String> requiredGroups = new ArrayList<>();
        for (JsonNode g : schema.allGroups()) {
            // bosh tests the presence of the key, not its value.
            List<String> members = InvocationSchemaGenerator.strings(g.get("members"));
            if (g.has("mutually-exclusive") && members.contains(id)) {
                members.stream().filter(m -> !m.equals(id)).forEach(disables::add);
            }
        }
        boolean flag = schema.isFlag(id);
        ObjectNode entry = null;
        if (!requires.isEmpty()) {
            ObjectNode requiredValues = F.objectNode();
            for (String r : requires) {
                if (schema.isFlag(r)) {
                    requiredValues.set(r, InvocationSchemaGenerator.enumOf(true));
                }
            }
            entry = F.objectNode();
            if (flag) {
                ArrayNode anyOf = entry.putArray("anyOf");
                anyOf.add(F.objectNode().<ObjectNode>set("properties", requiredValues)
                        .set("required", array(requires)));
                anyOf.add(flagIsFalse());
            } else {
                List<String> remaining = new ArrayList<>(requires);
                for (String r : requires) {
                    if (!schema.isGroup(r)) {
                        continue;
                    }
                    remaining.remove(r);
                    requiredGroups.add(r);
                    ArrayNode anyOf = entry.putArray("anyOf");
                    for (String m : schema.membersOf(r)) {
                        requiredValues.set(m, schema.propertySchema(m));
                        List<String> needed = new ArrayList<>(remaining);
                        needed.add(m);
                        anyOf.add(F.objectNode().<ObjectNode>set("properties", requiredValues).set("required",
                                array(needed)));
                    }
                }
                entry.set("properties", requiredValues);
                if (!remaining.isEmpty()) {
                    entry.set("required", array(remaining));
                }
            }
        }
        if (!disables.isEmpty()) {
            if (entry == null) {
                entry = F.objectNode();
            }
            ObjectNode disabled = F.objectNode();
            for (String d : disables) {
                disabled.set(d, schema.isFlag(d) ? absentOrFalse() : F.objectNode().set("not", F.objectNode()));
            }
            if (flag) {
                if (entry.get("anyOf") == null) {
                    ArrayNode anyOf = entry.putArray("anyOf");
                    anyOf.add(F.objectNode().set("properties", disabled));
                    anyOf.add(flagIsFalse());
                } else {
                    ((ObjectNode) entry.get("anyOf").get(0).get("properties")).setAll(disabled);
                }
            } else {
                if (entry.get("properties") == null) {
                    entry.set("properties", F.objectNode());
                }
                ((ObjectNode) entry.get("properties")).setAll(disabled);
            }
        }
        if (entry != null) {
            entry.put(JsonSchemaValidator.MESSAGE_KEYWORD, message(flag, requires, requiredGroups, disables));
            dependencies.set(id, entry);
        }
    }

    private ObjectNode flagIsFalse() {
        return F.objectNode().set("properties", F.objectNode().set(id, InvocationSchemaGenerator.enumOf(false)));
    }

    private static ObjectNode absentOrFalse() {
        ArrayNode oneOf = F.arrayNode();
        oneOf.add(F.objectNode().set("not", F.objectNode()));
        oneOf.add(InvocationSchemaGenerator.enumOf(false));
        return F.objectNode().set("oneOf", oneOf);
    }

    private static ArrayNode array(List<String> ids) {
        ArrayNode a = F.arrayNode();
        ids.forEach(a::add);
        return a;
    }

    private String message(boolean flag, List<String> requires, List<String> groups, List<String> disables) {
        List<String> parts = new ArrayList<>();
        List<String> plain = new ArrayList<>(requires);
        plain.removeAll(groups);
        if (!plain.isEmpty()) {
            parts.add("it requires " + InvocationSchemaGenerator.describe(plain)
                    + (plain.stream().anyMatch(schema::isFlag) ? " (Flags set to true)" : ""));
        }
        if (!groups.isEmpty()) {
            String last = groups.get(groups.size() - 1);
            parts.add("it requires one member of group \"" + last + "\" ("
                    + String.join(", ", schema.membersOf(last)) + ")");
        }
        if (!disables.isEmpty()) {
            parts.add("it excludes " + InvocationSchemaGenerator.describe(disables.stream().distinct().toList())
                    + (disables.stream().anyMatch(schema::isFlag) ? " (Flags may only be false)" : ""));
        }
        String when = flag ? "when Flag \"" + id + "\" is true" : "input \"" + id + "\" is given";
        return when + ": " + String.join("; ", parts);
    }
}
