package org.escadrille.server.catalog;

import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import tools.jackson.databind.JsonNode;

/**
 * Whether a tool's tasks may reuse the outputs of an identical earlier task (the task cache), declared
 * in its descriptor's {@code custom} section: {@code "escadrille:cache": false} for a tool whose
 * outputs differ from run to run with the same inputs (it draws its own random numbers, reads the
 * clock or the network). Without it, a tool is taken to be deterministic.
 */
public final class CacheSpec {
    static final String KEY = "escadrille:cache";
    private static final String AT = "custom." + KEY;

    /** Whether the tool's tasks may be cached, or the problem of a malformed declaration (naming its field). */
    public record Parsed(boolean cacheable, List<FieldProblem> problems) {
    }

    private CacheSpec() {
    }

    public static Parsed parse(Descriptor descriptor) {
        JsonNode custom = descriptor.custom();
        if (custom == null || !custom.has(KEY)) {
            return new Parsed(true, List.of());
        }
        JsonNode value = custom.get(KEY);
        if (!value.isBoolean()) {
            return new Parsed(true, List.of(new FieldProblem(AT, "must be true or false, got " + value)));
        }
        return new Parsed(value.asBoolean(), List.of());
    }
}
