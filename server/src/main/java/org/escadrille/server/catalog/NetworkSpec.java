package org.escadrille.server.catalog;

import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import tools.jackson.databind.JsonNode;

/**
 * Whether a tool's tasks may reach the network, declared in its descriptor's {@code custom} section:
 * {@code "escadrille:network": true}. Without it, a task runs with no network at all (in its
 * sandbox, or a container started with {@code --network none}): a tool cannot send its inputs away
 * nor reach services on the pilot's network unless its provider says it needs to.
 */
public final class NetworkSpec {
    static final String KEY = "escadrille:network";
    private static final String AT = "custom." + KEY;

    /** The grant, or the problem of a malformed declaration (naming its field). */
    public record Parsed(boolean network, List<FieldProblem> problems) {
    }

    private NetworkSpec() {
    }

    public static Parsed parse(Descriptor descriptor) {
        JsonNode custom = descriptor.custom();
        if (custom == null || !custom.has(KEY)) {
            return new Parsed(false, List.of());
        }
        JsonNode value = custom.get(KEY);
        if (!value.isBoolean()) {
            return new Parsed(false, List.of(new FieldProblem(AT, "must be true or false, got " + value)));
        }
        return new Parsed(value.asBoolean(), List.of());
    }
}
