package org.escadrille.boutiques.render;

import java.util.LinkedHashMap;
import java.util.Map;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InputType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * File names that begin with {@code -}, written on the command line as {@code ./-name}: quoting keeps a
 * user's file name one word, but a tool still reads {@code --help} as its option (a user's file of that
 * name made gzip print its help and "succeed"). Applies to File values and to output paths (which are
 * often made of an input's name); output paths as the pilot uploads them are unchanged. bosh renders
 * such names as given: this is one of the places where we depart from it on purpose.
 */
final class OptionLikeValues {

    private OptionLikeValues() {
    }

    /** The input values with each File value (or list entry) that begins with {@code -} prefixed with {@code ./}. */
    static Map<String, JsonNode> files(Descriptor descriptor, Map<String, JsonNode> values) {
        Map<String, JsonNode> out = new LinkedHashMap<>(values);
        for (Input in : descriptor.inputs()) {
            JsonNode value = values.get(in.id());
            if (in.type() != InputType.FILE || value == null) {
                continue;
            }
            if (value.isString()) {
                out.put(in.id(), JsonNodeFactory.instance.stringNode(path(value.stringValue())));
            } else if (value.isArray()) {
                ArrayNode entries = JsonNodeFactory.instance.arrayNode();
                value.forEach(v -> entries.add(v.isString() ? JsonNodeFactory.instance.stringNode(path(v.stringValue())) : v));
                out.put(in.id(), entries);
            }
        }
        return out;
    }

    /** The output paths, those that begin with {@code -} prefixed with {@code ./}. */
    static Map<String, String> paths(Map<String, String> outputPaths) {
        Map<String, String> out = new LinkedHashMap<>();
        outputPaths.forEach((id, path) -> out.put(id, path(path)));
        return out;
    }

    /** {@code ./-name} for {@code -name}; any other path unchanged. */
    static String path(String path) {
        return path.startsWith("-") ? "./" + path : path;
    }
}
