package org.escadrille.boutiques.invocation;

import java.util.ArrayList;
import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Group;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InputType;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inputs an invocation must give whatever else it holds: every input that is not optional (an input
 * with a default-value always has one) and one member of each one-is-required group (a Flag counts when
 * true). bosh checks the same through its invocation schema, but skips an invocation that is empty after
 * defaults, and so renders a command line with the required input simply left out; a launch must not.
 * A list counts as given, an empty list does not (it would be a sweep of nothing). Nothing else can make
 * an input required: bosh refuses descriptors where a Flag is not optional, where a required input is
 * disabled by another, or where a group member is required; {@code requires-inputs} binds only once the
 * requiring input is given, which bosh's own check covers. The messages are the schema's own, so that
 * both checks together report each problem once.
 */
public final class RequiredInputs {

    private RequiredInputs() {
    }

    /** One problem per missing input (at its pointer) and per one-is-required group with no member given. */
    public static List<Problem> missing(Descriptor descriptor, ObjectNode invocation) {
        ObjectNode values = InvocationValidator.withDefaults(descriptor, invocation);
        List<Problem> problems = new ArrayList<>();
        for (Input in : descriptor.inputs()) {
            if (!in.optional() && !given(values.get(in.id()))) {
                problems.add(Problem.at(Pointer.child("", in.id()), "\"%s\" is required but missing", in.id()));
            }
        }
        for (Group group : descriptor.groups()) {
            if (group.oneIsRequired() && group.members().stream().noneMatch(m -> memberGiven(descriptor, values, m))) {
                problems.add(new Problem("", "group \"" + group.id() + "\" needs at least one of "
                        + InvocationSchemaGenerator.describe(group.members()) + " (a Flag counts when true)"));
            }
        }
        return problems;
    }

    private static boolean memberGiven(Descriptor descriptor, ObjectNode values, String id) {
        JsonNode value = values.get(id);
        boolean flag = descriptor.input(id).map(in -> in.type() == InputType.FLAG).orElse(false);
        if (flag && value != null && value.isBoolean()) {
            return value.booleanValue();
        }
        if (flag && value != null && value.isArray()) {
            for (JsonNode each : value) {
                if (each.isBoolean() && each.booleanValue()) {
                    return true;
                }
            }
            return false;
        }
        return given(value);
    }

    private static boolean given(JsonNode value) {
        return value != null && !value.isNull() && !(value.isArray() && value.isEmpty());
    }
}
