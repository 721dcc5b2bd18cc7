package org.escadrille.boutiques;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads optional fields of an already validated descriptor, with the defaults the schema implies. */
final class Fields {

    private Fields() {
    }

    static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    static boolean flag(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    static Boolean optionalFlag(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isBoolean() ? value.booleanValue() : null;
    }

    static BigDecimal number(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isNumber() && !Double.isInfinite(value.doubleValue()) ? value.decimalValue() : null;
    }

    static Integer integer(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToInt() ? value.intValue() : null;
    }

    static List<String> texts(JsonNode object, String field) {
        JsonNode value = object.get(field);
        List<String> out = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(v -> {
                if (v.isString()) {
                    out.add(v.stringValue());
                }
            });
        }
        return out;
    }

    static List<JsonNode> nodes(JsonNode object, String field) {
        JsonNode value = object.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(out::add);
        }
        return out;
    }

    static JsonNode node(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null ? null : value.deepCopy();
    }
}
