package org.escadrille.server.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import tools.jackson.databind.JsonNode;

/**
 * The pilot tags a tool's tasks need, declared in its descriptor's {@code custom} section:
 * {@code "escadrille:pilot-tags": ["gpu", "site-a"]}. A task is leased only to a pilot that
 * registered with every one of them ({@code --tags}).
 */
public final class PilotTagsSpec {
    static final String KEY = "escadrille:pilot-tags";
    private static final String AT = "custom." + KEY;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The tags, or the problems of a malformed declaration (each naming its field). */
    public record Parsed(List<String> tags, List<FieldProblem> problems) {
    }

    private PilotTagsSpec() {
    }

    public static Parsed parse(Descriptor descriptor) {
        JsonNode custom = descriptor.custom();
        if (custom == null || !custom.has(KEY)) {
            return new Parsed(List.of(), List.of());
        }
        JsonNode section = custom.get(KEY);
        if (!section.isArray()) {
            return new Parsed(List.of(), List.of(new FieldProblem(AT, "must be an array of tags, like [\"gpu\"]")));
        }
        var tags = new ArrayList<String>();
        var problems = new ArrayList<FieldProblem>();
        for (int i = 0; i < section.size(); i++) {
            JsonNode tag = section.get(i);
            if (!tag.isString() || !TAG.matcher(tag.asString()).matches()) {
                problems.add(new FieldProblem(AT + "[" + i + "]",
                        "must be a tag of 1 to 64 letters, digits, '_', '.' or '-', got " + tag));
            } else if (!tags.contains(tag.asString())) {
                tags.add(tag.asString());
            }
        }
        return new Parsed(problems.isEmpty() ? List.copyOf(tags) : List.of(), problems);
    }
}
