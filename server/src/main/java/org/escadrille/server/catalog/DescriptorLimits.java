package org.escadrille.server.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a descriptor may be before it is published: at most {@code escadrille.limits.descriptor-bytes},
 * no string in it longer than {@code escadrille.limits.descriptor-field-chars}, and a name and a
 * version that are safe in a URL and a path. An application named {@code ../../etc} once made the
 * home page and the catalogue answer 500 to everyone, and a 30 MB description made every page slow
 * (issue 19).
 */
@Component
class DescriptorLimits {
    /**
     * Names and versions: letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter
     * or a digit (so never {@code .}, {@code ..} or an option), at most 64 characters.
     */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final EscadrilleProperties.Limits limits;
    private final JsonMapper json;

    DescriptorLimits(EscadrilleProperties properties, JsonMapper json) {
        this.limits = properties.limits();
        this.json = json;
    }

    /** Refuses a descriptor too large to parse at all. */
    void checkSize(String descriptorJson) {
        long bytes = descriptorJson.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.descriptorBytes()) {
            throw refused(List.of(new FieldProblem("descriptor", "takes " + bytes + " bytes; at most "
                    + limits.descriptorBytes() + " are allowed (escadrille.limits.descriptor-bytes)")));
        }
    }

    /** Refuses long strings anywhere in the descriptor, and unsafe names and versions. */
    void checkFields(String descriptorJson) {
        var problems = new ArrayList<FieldProblem>();
        JsonNode tree = json.readTree(descriptorJson);
        longStrings(tree, "", problems);
        checkName(tree.path("name"), "name", problems);
        checkName(tree.path("tool-version"), "tool-version", problems);
        if (!problems.isEmpty()) {
            throw refused(problems);
        }
    }

    private static void checkName(JsonNode value, String field, List<FieldProblem> problems) {
        if (value.isString() && !value.asString().isEmpty() && !NAME.matcher(value.asString()).matches()) {
            problems.add(new FieldProblem(field, "'" + shortened(value.asString()) + "' is not allowed: use at most 64 "
                    + "letters, digits, '.', '_' or '-', starting with a letter or a digit"));
        }
    }

    private void longStrings(JsonNode node, String pointer, List<FieldProblem> problems) {
        if (node.isString() && node.asString().length() > limits.descriptorFieldChars()) {
            problems.add(new FieldProblem(pointer.isEmpty() ? "descriptor" : pointer.substring(1), "is "
                    + node.asString().length() + " characters long; at most " + limits.descriptorFieldChars()
                    + " are allowed (escadrille.limits.descriptor-field-chars)"));
        } else if (node.isObject()) {
            node.properties().forEach(e -> longStrings(e.getValue(), pointer + "." + e.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                longStrings(node.get(i), pointer + "[" + i + "]", problems);
            }
        }
    }

    private static String shortened(String value) {
        return value.length() <= 70 ? value : value.substring(0, 67) + "...";
    }

    private static InvalidRequestException refused(List<FieldProblem> problems) {
        var first = problems.getFirst();
        return new InvalidRequestException("Invalid descriptor", first.field() + " " + first.message(), problems);
    }
}
