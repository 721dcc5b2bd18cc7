package org.escadrille.boutiques.json;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;
import org.escadrille.boutiques.Problem;
import tools.jackson.databind.JsonNode;

/** The draft-04 keywords on numbers, strings and sizes, for {@link JsonSchemaValidator}. */
final class ScalarKeywords {

    /** Compiles (and caches) a schema pattern, adding a problem when it is not a valid expression. */
    interface PatternSource {
        Pattern compile(String regex, String path, List<Problem> out);
    }

    private ScalarKeywords() {
    }

    static void checkNumber(JsonNode schema, JsonNode instance, String path, List<Problem> out) {
        JsonNode minimum = schema.get("minimum");
        if (minimum != null && minimum.isNumber()) {
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            int c = JsonValues.compareNumbers(instance, minimum);
            if (c < 0 || (exclusive && c == 0)) {
                out.add(Problem.at(path, "%s is below the %sminimum %s", JsonSchemaValidator.abbreviate(instance),
                        exclusive ? "exclusive " : "", JsonSchemaValidator.abbreviate(minimum)));
            }
        }
        JsonNode maximum = schema.get("maximum");
        if (maximum != null && maximum.isNumber()) {
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            int c = JsonValues.compareNumbers(instance, maximum);
            if (c > 0 || (exclusive && c == 0)) {
                out.add(Problem.at(path, "%s is above the %smaximum %s", JsonSchemaValidator.abbreviate(instance),
                        exclusive ? "exclusive " : "", JsonSchemaValidator.abbreviate(maximum)));
            }
        }
        JsonNode multipleOf = schema.get("multipleOf");
        if (multipleOf != null && multipleOf.isNumber()
                && JsonValues.numericValue(instance) instanceof BigDecimal value
                && JsonValues.numericValue(multipleOf) instanceof BigDecimal step && step.signum() > 0
                && value.remainder(step).signum() != 0) {
            out.add(Problem.at(path, "%s is not a multiple of %s", JsonSchemaValidator.abbreviate(instance), JsonSchemaValidator.abbreviate(multipleOf)));
        }
    }

    static void checkString(JsonNode schema, JsonNode instance, String path, List<Problem> out, PatternSource patterns) {
        String s = instance.stringValue();
        int length = s.codePointCount(0, s.length());
        checkCount(schema, "minLength", length, true, path, "characters", out);
        checkCount(schema, "maxLength", length, false, path, "characters", out);
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isString()) {
            Pattern compiled = patterns.compile(pattern.stringValue(), path, out);
            if (compiled != null && !compiled.matcher(s).find()) {
                out.add(Problem.at(path, "%s does not match the pattern %s", JsonSchemaValidator.abbreviate(instance), pattern.stringValue()));
            }
        }
    }

    static void checkCount(JsonNode schema, String keyword, int actual, boolean atLeast, String path,
            String unit, List<Problem> out) {
        JsonNode limit = schema.get(keyword);
        if (limit == null || !limit.isNumber()) {
            return;
        }
        int c = JsonValues.compareNumbers(JsonValues.numericValue(limit), new BigDecimal(actual));
        if (atLeast ? c > 0 : c < 0) {
            out.add(Problem.at(path, "has %d %s, %s %s allowed", actual, unit, atLeast ? "at least" : "at most",
                    JsonSchemaValidator.abbreviate(limit)));
        }
    }
}
