package org.escadrille.server.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random hostile input from one seeded {@link Random}, so that a seed replays a run: strings people
 * and attackers send (traversals, encodings, huge and empty values, control characters, numbers out of
 * range), JSON documents mutated field by field, paths, query strings, header values and raw bytes.
 * None of it looks like a Java class name, so that any class name in an answer came from the server.
 */
final class FuzzInputs {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ATOMS = List.of("", " ", "a", "..", "../..", "../../cfg.txt", "/", "//", "%2e%2e",
            "%2F", "%00", "\u0000", "\r\n", "\t", "'", "\"", "\\", "<script>alert(1)</script>", "${jndi:ldap://x}",
            "{{7*7}}", "$(id)", "`id`", "; rm -rf ~", "-rf", "--help", "*", "?", "#", "&", "=", "+", "%", "%%", "%zz",
            "ünïcødé", "日本語", "\uD83D\uDE80", "\u202Eevil", "\uFEFF", "NaN", "Infinity", "-1", "0", "1",
            "2147483648", "-9223372036854775809", "1e309", "0.000001", "true", "null", "[]", "{}", "pi", "count.txt",
            "matrix/data.txt", "stdout", "stderr", "dot", "cross", "static", "dynamic", "USER", "ADMIN", "admin");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=latin1",
            "text/plain", "application/octet-stream", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=fuzz", "multipart/form-data", "application/xml", "text/html", "*/*", "garbage",
            "application/problem+json", "application/json;charset=\"");

    private final Random random;

    FuzzInputs(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A hostile string: an atom, a long run, random code points, or several of these glued together. */
    String string() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> pick(ATOMS);
            case 2 -> "x".repeat(pick(List.of(73, 201, 256, 300, 1025, 5000, 70_000)));
            case 3 -> codePoints(1 + random.nextInt(40));
            case 4 -> pick(ATOMS) + pick(ATOMS) + pick(ATOMS);
            default -> "name-" + random.nextInt(1000);
        };
    }

    private String codePoints(int length) {
        var text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0x2000);
                default -> 0x10000 + random.nextInt(0x1000);
            };
            text.appendCodePoint(cp);
        }
        return text.toString();
    }

    /** A JSON value of any type, hostile where it can be. */
    JsonNode value(int depth) {
        return switch (random.nextInt(depth > 3 ? 5 : 8)) {
            case 0 -> F.stringNode(string());
            case 1 -> F.numberNode(pick(List.of(-1L, 0L, 1L, 3L, 1000L, Long.MAX_VALUE, Long.MIN_VALUE, 4_000_000_000L)));
            case 2 -> F.numberNode(pick(List.of(-0.5, 1e300, 0.1, Double.MIN_VALUE)));
            case 3 -> F.booleanNode(random.nextBoolean());
            case 4 -> F.nullNode();
            case 5 -> {
                ArrayNode array = F.arrayNode();
                // at most 100: two such lists in one sweep already make 10,000 tasks
                for (int i = random.nextInt(chance(0.1) ? 100 : 4); i > 0; i--) {
                    array.add(value(depth + 1));
                }
                yield array;
            }
            case 6 -> deep(1 + random.nextInt(60));
            default -> {
                ObjectNode object = F.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(string(), value(depth + 1));
                }
                yield object;
            }
        };
    }

    private JsonNode deep(int levels) {
        JsonNode node = F.stringNode("bottom");
        for (int i = 0; i < levels; i++) {
            node = random.nextBoolean() ? F.arrayNode().add(node) : F.objectNode().set("n", node);
        }
        return node;
    }

    /** {@code valid} with a few of its fields removed, retyped, replaced or renamed, or new ones added. */
    JsonNode mutate(JsonNode valid) {
        JsonNode copy = valid.deepCopy();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            copy = mutateOnce(copy);
        }
        return copy;
    }

    private JsonNode mutateOnce(JsonNode node) {
        if (!(node instanceof ObjectNode || node instanceof ArrayNode) || node.isEmpty() || chance(0.05)) {
            return chance(0.5) ? value(0) : node;
        }
        if (node instanceof ArrayNode array) {
            int index = random.nextInt(array.size());
            array.set(index, chance(0.5) ? mutateOnce(array.get(index)) : value(1));
            return array;
        }
        ObjectNode object = (ObjectNode) node;
        List<String> names = object.propertyNames().stream().toList();
        String name = pick(names);
        switch (random.nextInt(5)) {
            case 0 -> object.remove(name);
            case 1 -> object.set(name, value(1));
            case 2 -> object.set(name, mutateOnce(object.get(name)));
            case 3 -> object.set(string(), object.remove(name));
            default -> object.set(chance(0.5) ? string() : name + "-x", value(1));
        }
        return object;
    }

    /** The bytes of a JSON document, sometimes truncated, padded or not JSON at all. */
    byte[] jsonBytes(JsonNode document) {
        String text = JSON.writeValueAsString(document);
        return switch (random.nextInt(12)) {
            case 0 -> text.substring(0, random.nextInt(text.length() + 1)).getBytes(StandardCharsets.UTF_8);
            case 1 -> (text + text).getBytes(StandardCharsets.UTF_8);
            case 2 -> bytes();
            // deeper than any parser should follow (Jackson stops at 500 levels by default)
            case 3 -> ("{\"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);
            default -> text.getBytes(StandardCharsets.UTF_8);
        };
    }

    byte[] bytes() {
        byte[] bytes = new byte[chance(0.1) ? 200_000 : random.nextInt(300)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A path segment as a client could put it in a URL: percent-encoded, sometimes with raw separators left in. */
    String segment() {
        String raw = string();
        if (chance(0.2)) {
            return pick(List.of("..", ".", "%2e%2e", "%2F", "a%00b", "%", "a;b", "a//b", "~", "%C0%AE"));
        }
        var encoded = new StringBuilder();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0);
            encoded.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
        }
        return encoded.isEmpty() ? "x" : encoded.toString();
    }

    /** A query string of a few random parameters, or none. */
    String query(List<String> names) {
        if (chance(0.4)) {
            return "";
        }
        var query = new StringBuilder("?");
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            query.append(i < 3 ? "&" : "").append(chance(0.7) ? pick(names) : segment()).append('=').append(segment());
        }
        return query.toString();
    }

    String contentType() {
        return pick(CONTENT_TYPES);
    }

    /** A header value HTTP allows (no control characters), sometimes long. */
    String headerValue() {
        String value = string().replaceAll("[\\p{Cntrl}\\x{80}-\\x{10FFFF}]", "");
        return value.isEmpty() ? "v" : value.length() > 3000 ? value.substring(0, 3000) : value;
    }
}
