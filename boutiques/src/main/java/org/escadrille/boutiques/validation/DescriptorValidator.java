package org.escadrille.boutiques.validation;

import java.util.ArrayList;
import java.util.List;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * Validates a descriptor as {@code bosh validate} does: first the JSON schema (schema-version 0.5, encoded
 * in code so that nothing is read at run time), then, when the schema holds, bosh's semantic rules. All
 * problems of a stage are reported together; like bosh, the semantic stage runs only on a schema-valid
 * descriptor.
 */
public final class DescriptorValidator {

    private DescriptorValidator() {
    }

    /** Every problem of the descriptor; empty when bosh would accept it. */
    public static List<Problem> validate(JsonNode descriptor) {
        List<Problem> problems = new ArrayList<>();
        if (descriptor == null || !descriptor.isObject()) {
            problems.add(Problem.at("", "a descriptor must be a JSON object, found %s", JsonValues.typeName(descriptor)));
            return problems;
        }
        DescriptorSchemaRules.check(descriptor, problems);
        if (!problems.isEmpty()) {
            return problems;
        }
        DescriptorView view = new DescriptorView(descriptor);
        KeyRules.check(view, problems);
        ConditionalPathRules.check(view, problems);
        InputRules.check(view, problems);
        GroupRules.check(view, problems);
        TestAndContainerRules.check(view, problems);
        return problems;
    }
}
