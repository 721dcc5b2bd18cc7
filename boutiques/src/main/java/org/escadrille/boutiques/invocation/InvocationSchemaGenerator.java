package org.escadrille.boutiques.invocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.escadrille.boutiques.json.JsonSchemaValidator;
import org.escadrille.boutiques.json.PythonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the invocation schema bosh generates from a descriptor ({@code generateInvocationSchema}), with
 * its quirks kept on purpose so that the same invocations pass: {@code integer} wins over value-choices,
 * a group with a {@code mutually-exclusive} key is exclusive whatever its value, and an input requiring
 * several groups only enforces the last one. Group and requires/disables constraints carry a readable
 * message ({@link JsonSchemaValidator#MESSAGE_KEYWORD}).
 */
public final class InvocationSchemaGenerator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final List<JsonNode> inputs = new ArrayList<>();
    private final List<JsonNode> groupList = new ArrayList<>();
    private final Map<String, JsonNode> groups = new LinkedHashMap<>();
    private final ObjectNode properties = F.objectNode();

    private InvocationSchemaGenerator(JsonNode descriptor) {
        descriptor.path("inputs").forEach(inputs::add);
        descriptor.path("groups").forEach(groupList::add);
        groupList.forEach(g -> groups.put(g.get("id").stringValue(), g));
    }

    /** The invocation schema of a valid descriptor. */
    public static ObjectNode generate(JsonNode descriptor) {
        return new InvocationSchemaGenerator(descriptor).build(descriptor);
    }

    private ObjectNode build(JsonNode descriptor) {
        String name = descriptor.get("name").stringValue();
        ObjectNode schema = F.objectNode();
        schema.put("$schema", "http://json-schema.org/draft-04/schema#");
        schema.put("title", name + ".invocationSchema");
        schema.put("description", "Invocation schema for " + name.toLowerCase(Locale.ROOT) + ".");
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        inputs.forEach(this::addTypeConstraints);
        schema.set("properties", properties);
        ArrayNode required = F.arrayNode();
        inputs.stream().filter(i -> !PythonValues.truthy(i.get("optional")))
                .forEach(i -> required.add(i.get("id").stringValue()));
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        ArrayNode allOf = F.arrayNode();
        for (JsonNode g : descriptor.path("groups")) {
            if (PythonValues.truthy(g.get("one-is-required"))) {
                ArrayNode anyOf = F.arrayNode();
                List<String> members = strings(g.get("members"));
                members.forEach(m -> anyOf.add(requiredMember(m)));
                ObjectNode constraint = F.objectNode();
                constraint.set("anyOf", anyOf);
                constraint.put(JsonSchemaValidator.MESSAGE_KEYWORD, "group \"" + g.get("id").stringValue()
                        + "\" needs at least one of " + describe(members) + " (a Flag counts when true)");
                allOf.add(constraint);
            }
        }
        if (!allOf.isEmpty()) {
            schema.set("allOf", allOf);
        }
        ObjectNode dependencies = F.objectNode();
        for (JsonNode in : inputs) {
            new DependencyBuilder(this, in).addTo(dependencies);
        }
        schema.set("dependencies", dependencies);
        return schema;
    }

    private void addTypeConstraints(JsonNode in) {
        String id = in.get("id").stringValue();
        ObjectNode value = underType(in);
        ObjectNode target = value;
        if (PythonValues.truthy(in.get("list"))) {
            ObjectNode array = F.objectNode();
            array.put("type", "array");
            array.set("items", value);
            if (PythonValues.truthy(in.get("min-list-entries"))) {
                array.set("minItems", in.get("min-list-entries"));
            }
            if (PythonValues.truthy(in.get("max-list-entries"))) {
                array.set("maxItems", in.get("max-list-entries"));
            }
            properties.set(id, array);
        } else {
            properties.set(id, value);
        }
        if (in.has("minimum") && !in.get("minimum").isNull()) {
            target.set("minimum", in.get("minimum"));
        }
        if (in.has("maximum") && !in.get("maximum").isNull()) {
            target.set("maximum", in.get("maximum"));
        }
        if (PythonValues.truthy(in.get("exclusive-minimum"))) {
            target.set("exclusiveMinimum", in.get("exclusive-minimum"));
        }
        if (PythonValues.truthy(in.get("exclusive-maximum"))) {
            target.set("exclusiveMaximum", in.get("exclusive-maximum"));
        }
    }

    private static ObjectNode underType(JsonNode in) {
        ObjectNode t = F.objectNode();
        String type = in.get("type").stringValue();
        if (PythonValues.truthy(in.get("integer"))) {
            t.put("type", "integer");
        } else if (PythonValues.truthy(in.get("value-choices"))) {
            t.set("enum", in.get("value-choices"));
        } else if (type.equals("File")) {
            t.put("type", "string");
        } else if (type.equals("Flag")) {
            t.put("type", "boolean");
        } else {
            t.put("type", type.toLowerCase(Locale.ROOT));
        }
        return t;
    }

    private ObjectNode requiredMember(String member) {
        ObjectNode branch = F.objectNode();
        if (isFlag(member)) {
            ObjectNode props = F.objectNode();
            props.set(member, enumOf(true));
            branch.set("properties", props);
        }
        branch.set("required", F.arrayNode().add(member));
        return branch;
    }

    boolean isFlag(String id) {
        for (JsonNode in : inputs) {
            if (in.get("id").stringValue().equals(id)) {
                return "Flag".equals(in.get("type").stringValue());
            }
        }
        return false;
    }

    boolean isGroup(String id) {
        return groups.containsKey(id);
    }

    List<String> membersOf(String groupId) {
        return strings(groups.get(groupId).get("members"));
    }

    JsonNode propertySchema(String inputId) {
        return properties.get(inputId);
    }

    List<JsonNode> allGroups() {
        return groupList;
    }

    static ObjectNode enumOf(boolean value) {
        ObjectNode e = F.objectNode();
        e.set("enum", F.arrayNode().add(value));
        return e;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.stringValue()));
        }
        return out;
    }

    static String describe(List<String> ids) {
        return ids.isEmpty() ? "(no inputs)" : "\"" + String.join("\", \"", ids) + "\"";
    }
}
