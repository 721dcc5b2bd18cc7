package org.escadrille.boutiques.invocation;

import java.util.function.UnaryOperator;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InputType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites the values of File inputs, e.g. to the paths of staged copies relative to a task's working
 * directory, so the command line is rendered for the files the task will really see.
 */
public final class FileValues {

    private FileValues() {
    }

    /** A copy of {@code invocation} where every string value (or list entry) of a File input is mapped. */
    public static ObjectNode replace(Descriptor descriptor, ObjectNode invocation, UnaryOperator<String> mapping) {
        ObjectNode out = invocation.deepCopy();
        for (Input in : descriptor.inputs()) {
            JsonNode value = out.get(in.id());
            if (in.type() != InputType.FILE || value == null) {
                continue;
            }
            if (value.isString()) {
                out.put(in.id(), mapping.apply(value.stringValue()));
            } else if (value.isArray()) {
                ArrayNode mapped = JsonNodeFactory.instance.arrayNode();
                value.forEach(v -> mapped.add(v.isString() ? JsonNodeFactory.instance.stringNode(
                        mapping.apply(v.stringValue())) : v));
                out.set(in.id(), mapped);
            }
        }
        return out;
    }
}
