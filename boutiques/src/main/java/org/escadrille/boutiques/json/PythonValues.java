package org.escadrille.boutiques.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * How Python (and so bosh) turns JSON values into text and compares them: {@code str()} of numbers
 * follows Python's float repr ({@code 1e-05}, {@code 100.0}), booleans read {@code True}/{@code False},
 * and {@code ==} treats {@code True} as {@code 1}. bosh builds command lines with these rules.
 */
public final class PythonValues {

    private PythonValues() {
    }

    /** Python's {@code str(value)} of a value loaded by {@code json.loads}. */
    public static String str(JsonNode value) {
        if (value.isString()) {
            return value.stringValue();
        }
        return repr(value);
    }

    /** Python's {@code repr(value)}. */
    public static String repr(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> reprString(value.stringValue());
            case BOOLEAN -> value.booleanValue() ? "True" : "False";
            case NULL -> "None";
            case NUMBER -> value.isIntegralNumber() ? value.bigIntegerValue().toString() : floatRepr(value.doubleValue());
            case ARRAY -> {
                StringBuilder out = new StringBuilder("[");
                for (int i = 0; i < value.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(repr(value.get(i)));
                }
                yield out.append(']').toString();
            }
            case OBJECT -> {
                StringBuilder out = new StringBuilder("{");
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    out.append(first ? "" : ", ").append(reprString(e.getKey())).append(": ").append(repr(e.getValue()));
                    first = false;
                }
                yield out.append('}').toString();
            }
            default -> value.toString();
        };
    }

    /** Python's {@code repr(float)}: shortest round-tripping digits, fixed notation for 1e-4 <= |x| < 1e16. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String sign = (d < 0 || (d == 0 && 1 / d < 0)) ? "-" : "";
        if (d == 0) {
            return sign + "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int k = digits.length();
        int decimalPoint = k - exact.scale(); // value = 0.<digits> * 10^decimalPoint
        StringBuilder out = new StringBuilder(sign);
        if (decimalPoint > -4 && decimalPoint <= 16) {
            if (decimalPoint <= 0) {
                out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
            } else if (decimalPoint < k) {
                out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, k);
            } else {
                out.append(digits).append("0".repeat(decimalPoint - k)).append(".0");
            }
        } else {
            int exponent = decimalPoint - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            out.append(e.length() < 2 ? "0" + e : e);
        }
        return out.toString();
    }

    /** Python's truth value of a JSON value. */
    public static boolean truthy(JsonNode value) {
        if (value == null) {
            return false;
        }
        return switch (value.getNodeType()) {
            case NULL, MISSING -> false;
            case BOOLEAN -> value.booleanValue();
            case NUMBER -> value.isIntegralNumber() ? value.bigIntegerValue().signum() != 0 : value.doubleValue() != 0;
            case STRING -> !value.stringValue().isEmpty();
            case ARRAY, OBJECT -> !value.isEmpty();
            default -> true;
        };
    }

    /** Python's {@code a == b} (booleans compare as 0 and 1). */
    public static boolean pyEquals(JsonNode a, JsonNode b) {
        return JsonValues.equalBy(a, b, PythonValues::numberLike, PythonValues::numeric);
    }

    /** Python's {@code value in array}. */
    public static boolean pyContains(JsonNode array, JsonNode value) {
        for (JsonNode each : array) {
            if (pyEquals(each, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean numberLike(JsonNode node) {
        return node.isNumber() || node.isBoolean();
    }

    private static Object numeric(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue() ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        return JsonValues.numericValue(node);
    }

    /** Python's {@code repr(str)}: single quotes unless the text has a single quote and no double quote. */
    public static String reprString(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (cp == quote) {
                        out.append('\\').append((char) cp);
                    } else if (cp < 0x20 || cp == 0x7f) {
                        out.append(String.format("\\x%02x", cp));
                    } else if (!isPrintable(cp)) {
                        out.append(cp <= 0xff ? String.format("\\x%02x", cp)
                                : cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append(quote).toString();
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return cp == ' ' || !(type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SPACE_SEPARATOR);
    }

    /** Python's {@code str.isspace()} for one code point. */
    public static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** Python's {@code str.split()} with no argument: runs of whitespace separate, no empty words. */
    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (isSpace(cp)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.appendCodePoint(cp);
            }
        });
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** Python's {@code str.isalnum()}. */
    public static boolean isAlnum(String s) {
        return !s.isEmpty() && s.codePoints().allMatch(cp -> Character.isLetter(cp) || isNumeric(cp));
    }

    /** Python's {@code str.isdigit()}. */
    public static boolean isDigit(String s) {
        return !s.isEmpty() && s.codePoints().allMatch(
                cp -> Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER || isSuperscriptOrCircledDigit(cp));
    }

    private static boolean isSuperscriptOrCircledDigit(int cp) {
        return cp == 0xb2 || cp == 0xb3 || cp == 0xb9 || (cp >= 0x2070 && cp <= 0x2089) || (cp >= 0x2460 && cp <= 0x2468)
                || (cp >= 0x2474 && cp <= 0x247c) || (cp >= 0x2488 && cp <= 0x2490) || (cp >= 0x24f5 && cp <= 0x24fd)
                || cp == 0x24ea || cp == 0x24ff || (cp >= 0x2776 && cp <= 0x2792);
    }

    private static boolean isNumeric(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER
                || Character.getNumericValue(cp) >= 0 && Character.isIdeographic(cp);
    }

    /** Python keywords ({@code keyword.iskeyword}). */
    public static boolean isKeyword(String word) {
        return KEYWORDS.contains(word);
    }

    private static final Set<String> KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert",
            "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
            "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
            "try", "while", "with", "yield");
}
