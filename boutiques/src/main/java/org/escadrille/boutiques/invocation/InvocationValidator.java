package org.escadrille.boutiques.invocation;

import java.util.ArrayList;
import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InvalidInvocationException;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.JsonSchemaValidator;
import org.escadrille.boutiques.json.JsonValues;
import org.escadrille.boutiques.json.PythonValues;
import org.escadrille.boutiques.json.SchemaSanityCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates an invocation (input id to value) against a descriptor as {@code bosh invocation} does:
 * default values are filled in first, then the invocation is checked against the descriptor's own
 * {@code invocation-schema} when it has one, else against the schema bosh generates (types, choices,
 * bounds, list lengths, required inputs, groups, requires/disables). Like bosh, an invocation that is
 * still empty after defaults is not checked at all.
 */
public final class InvocationValidator {

    private InvocationValidator() {
    }

    /** A copy of {@code invocation} where every input with a default-value and no (or a null) value gets it. */
    public static ObjectNode withDefaults(Descriptor descriptor, ObjectNode invocation) {
        ObjectNode data = invocation.deepCopy();
        for (Input in : descriptor.inputs()) {
            JsonNode dflt = in.defaultValue();
            JsonNode given = data.get(in.id());
            if (dflt != null && !dflt.isNull() && (given == null || given.isNull())) {
                data.set(in.id(), dflt.deepCopy());
            }
        }
        return data;
    }

    /** The schema bosh checks invocations of this descriptor against. */
    public static JsonNode invocationSchema(Descriptor descriptor) {
        JsonNode own = descriptor.invocationSchema();
        return PythonValues.truthy(own) ? own : InvocationSchemaGenerator.generate(descriptor.json());
    }

    /** Every problem of the invocation (before defaults); empty when bosh would accept it. */
    public static List<Problem> validate(Descriptor descriptor, JsonNode invocation) {
        List<Problem> problems = new ArrayList<>();
        if (invocation == null || !invocation.isObject()) {
            problems.add(Problem.at("", "an invocation must be a JSON object of input ids to values, found %s",
                    JsonValues.typeName(invocation)));
            return problems;
        }
        boolean own = PythonValues.truthy(descriptor.invocationSchema());
        JsonNode schema = invocationSchema(descriptor);
        for (Problem p : SchemaSanityCheck.check(schema, "")) {
            problems.add(new Problem("", (own ? "the descriptor's invocation-schema is malformed at "
                    : "the invocation schema bosh derives from this descriptor is malformed at ")
                    + (p.location().isEmpty() ? "its root" : p.location()) + ": " + p.message()));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        ObjectNode data = withDefaults(descriptor, (ObjectNode) invocation);
        if (data.isEmpty()) {
            return problems;
        }
        problems.addAll(new JsonSchemaValidator(schema).validate(data));
        return problems;
    }

    /**
     * Every problem of the invocation as a launch sees it: bosh's, plus the required inputs and
     * one-is-required groups that bosh does not check when the invocation is empty after defaults
     * ({@link RequiredInputs}). {@link #validate} keeps bosh's answer, for conformance.
     */
    public static List<Problem> validateComplete(Descriptor descriptor, JsonNode invocation) {
        List<Problem> problems = new ArrayList<>(validate(descriptor, invocation));
        if (invocation != null && invocation.isObject()) {
            RequiredInputs.missing(descriptor, (ObjectNode) invocation).stream()
                    .filter(p -> !problems.contains(p))
                    .forEach(problems::add);
        }
        return problems;
    }

    /** As {@link #requireValid}, and every required input given. @throws InvalidInvocationException with every problem */
    public static ObjectNode requireComplete(Descriptor descriptor, JsonNode invocation) {
        List<Problem> problems = validateComplete(descriptor, invocation);
        if (!problems.isEmpty()) {
            throw new InvalidInvocationException(problems);
        }
        return withDefaults(descriptor, (ObjectNode) invocation);
    }

    /** The invocation with defaults applied. @throws InvalidInvocationException with every problem found */
    public static ObjectNode requireValid(Descriptor descriptor, JsonNode invocation) {
        List<Problem> problems = validate(descriptor, invocation);
        if (!problems.isEmpty()) {
            throw new InvalidInvocationException(problems);
        }
        return withDefaults(descriptor, (ObjectNode) invocation);
    }
}
