package org.escadrille.boutiques.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads JSON text into Jackson trees the way Python's {@code json.loads} would accept it: one value, no
 * trailing data, duplicate keys resolved by the last one.
 */
public final class JsonDocuments {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonDocuments() {
    }

    /** The JSON value in {@code text}. @throws MalformedJsonException when it is not one JSON value */
    public static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            throw new MalformedJsonException("empty document: expected a JSON value");
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJsonException("empty document: expected a JSON value");
            }
            return node;
        } catch (JacksonException e) {
            TokenStreamLocation where = e.getLocation();
            String position = where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
            throw new MalformedJsonException("not valid JSON" + position + ": " + readable(e.getOriginalMessage()));
        }
    }

    /** Jackson's message without its Java types and settings, which mean nothing to whoever wrote the JSON. */
    private static String readable(String message) {
        if (message != null && message.startsWith("Trailing token")) {
            return "more JSON follows after the end of the document's value";
        }
        return message == null ? "" : message.replaceAll("`(?:[a-z]\\w*\\.)+([A-Z][\\w$]*)`", "$1");
    }

    /** An empty, mutable JSON object. */
    public static ObjectNode newObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Compact JSON text of {@code node}, in the node's own key order. */
    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** The text is not a single well-formed JSON value; the message says where and why. */
    public static final class MalformedJsonException extends RuntimeException {
        public MalformedJsonException(String message) {
            super(message);
        }
    }
}
