package org.escadrille.boutiques.json;

import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Type tests and comparisons of JSON values with JSON-Schema (draft-04, as Python's jsonschema
 * implements it) semantics: booleans are never numbers, an integer is a number written without a
 * fraction or exponent, and numbers compare by value ({@code 1 == 1.0}).
 */
public final class JsonValues {

    private JsonValues() {
    }

    public static boolean isInteger(JsonNode node) {
        return node != null && node.isIntegralNumber();
    }

    public static boolean isNumber(JsonNode node) {
        return node != null && node.isNumber();
    }

    /** The JSON-Schema type name of a value, for messages. */
    public static String typeName(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case OBJECT -> "object";
            case STRING -> "string";
            case BOOLEAN -> "boolean";
            case NUMBER -> "number";
            case NULL -> "null";
            default -> "value";
        };
    }

    /** Whether {@code node} has the JSON-Schema type {@code type} (draft-04: 1.0 is not an integer). */
    public static boolean hasType(JsonNode node, String type) {
        return switch (type) {
            case "string" -> node.isString();
            case "integer" -> node.isIntegralNumber();
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            case "object" -> node.isObject();
            case "array" -> node.isArray();
            case "null" -> node.isNull();
            case "any" -> true;
            default -> false;
        };
    }

    /** Equality as jsonschema's {@code enum} and {@code uniqueItems} see it. */
    public static boolean schemaEquals(JsonNode a, JsonNode b) {
        return equalBy(a, b, JsonNode::isNumber, JsonValues::numericValue);
    }

    /**
     * Structural equality: arrays element by element, objects key by key, other values by
     * {@link JsonNode#equals}. Only the numbers differ between jsonschema's rule and Python's (where
     * booleans are the numbers 0 and 1): which values count as numbers, and which number each is.
     */
    static boolean equalBy(JsonNode a, JsonNode b, Predicate<JsonNode> numberLike, Function<JsonNode, Object> asNumber) {
        if (numberLike.test(a) && numberLike.test(b)) {
            return compareNumbers(asNumber.apply(a), asNumber.apply(b)) == 0;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equalBy(a.get(i), b.get(i), numberLike, asNumber)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !equalBy(e.getValue(), other, numberLike, asNumber)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Whether {@code array} holds {@code value} by {@link #schemaEquals}. */
    public static boolean containsBySchema(JsonNode array, JsonNode value) {
        for (JsonNode each : array) {
            if (schemaEquals(each, value)) {
                return true;
            }
        }
        return false;
    }

    /** Index of a later element equal to an earlier one, or -1 when all elements differ. */
    public static int firstDuplicate(JsonNode array) {
        for (int j = 1; j < array.size(); j++) {
            for (int i = 0; i < j; i++) {
                if (schemaEquals(array.get(i), array.get(j))) {
                    return j;
                }
            }
        }
        return -1;
    }

    /** Exact numeric comparison of two JSON numbers (infinite doubles included). */
    public static int compareNumbers(JsonNode a, JsonNode b) {
        return compareNumbers(numericValue(a), numericValue(b));
    }

    /** Compares values returned by {@link #numericValue}. */
    public static int compareNumbers(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }

    /** A number as an exact {@link BigDecimal}, or a {@link Double} for infinities and NaN. */
    public static Object numericValue(JsonNode node) {
        if (node.isIntegralNumber()) {
            return new BigDecimal(node.bigIntegerValue());
        }
        double d = node.doubleValue();
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            return d;
        }
        if (node.isBigDecimal()) {
            return node.decimalValue();
        }
        return new BigDecimal(d);
    }

}
