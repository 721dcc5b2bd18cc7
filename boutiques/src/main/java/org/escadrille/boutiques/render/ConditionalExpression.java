package org.escadrille.boutiques.render;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The conditions of conditional-path-templates. bosh spaces out operators with its
 * {@code conditionalExpFormat} (which also swallows the character after a one-character operator, so
 * {@code "x>10"} reads {@code "x > 0"}) and then hands the text to Python's {@code eval}. This class
 * reproduces the formatting and evaluates the small Python subset such conditions use (literals,
 * comparisons, {@code and}, {@code or}, {@code not}, parentheses) without running arbitrary code.
 */
public final class ConditionalExpression {

    /** The condition cannot be evaluated (bosh would fail with a Python error). */
    public static final class EvaluationException extends RuntimeException {
        public EvaluationException(String message) {
            super(message);
        }
    }

    private final List<String> tokens;
    private int next;

    private ConditionalExpression(List<String> tokens) {
        this.tokens = tokens;
    }

    /** bosh's {@code conditionalExpFormat}. @throws IllegalArgumentException when the text ends with =, !, < or > */
    public static String format(String s) {
        StringBuilder out = new StringBuilder();
        int idx = 0;
        while (idx < s.length()) {
            char c = s.charAt(idx);
            if (c == '=' || c == '!' || c == '<' || c == '>') {
                if (idx + 1 >= s.length()) {
                    throw new IllegalArgumentException("condition ends with an operator: " + s);
                }
                out.append(' ').append(c).append(s.charAt(idx + 1) == '=' ? '=' : ' ');
                idx++;
            } else if (c == '(' || c == ')') {
                out.append(' ').append(c).append(' ');
            } else {
                out.append(c);
            }
            idx++;
        }
        return out.toString();
    }

    /** Python's {@code bool(eval(expression))} for the supported subset. */
    public static boolean isTrue(String expression) {
        return truthy(evaluate(expression));
    }

    /** Python's {@code eval(expression)}: a BigInteger, Double, String, Boolean or null. */
    public static Object evaluate(String expression) {
        ConditionalExpression parser = new ConditionalExpression(ConditionTokenizer.tokenize(expression));
        if (parser.tokens.isEmpty()) {
            throw new EvaluationException("empty condition");
        }
        Object value = parser.orTest();
        if (parser.next != parser.tokens.size()) {
            throw new EvaluationException("unexpected \"" + parser.tokens.get(parser.next) + "\" in " + expression);
        }
        return value;
    }

    private Object orTest() {
        Object value = andTest();
        while (accept("or")) {
            Object right = andTest();
            value = truthy(value) ? value : right;
        }
        return value;
    }

    private Object andTest() {
        Object value = notTest();
        while (accept("and")) {
            Object right = notTest();
            value = truthy(value) ? right : value;
        }
        return value;
    }

    private Object notTest() {
        if (accept("not")) {
            return !truthy(notTest());
        }
        return comparison();
    }

    private Object comparison() {
        Object left = unary();
        boolean result = true;
        boolean compared = false;
        while (next < tokens.size() && List.of("==", "!=", "<", ">", "<=", ">=").contains(tokens.get(next))) {
            String op = tokens.get(next++);
            Object right = unary();
            result &= compare(op, left, right);
            compared = true;
            left = right;
        }
        return compared ? (Object) result : left;
    }

    private Object unary() {
        if (accept("-")) {
            Object v = unary();
            if (v instanceof Boolean b) {
                return b ? BigInteger.ONE.negate() : BigInteger.ZERO;
            }
            if (v instanceof BigInteger i) {
                return i.negate();
            }
            if (v instanceof Double d) {
                return -d;
            }
            throw new EvaluationException("bad operand type for unary -");
        }
        if (accept("+")) {
            Object v = unary();
            if (v instanceof Boolean b) {
                return b ? BigInteger.ONE : BigInteger.ZERO;
            }
            if (v instanceof BigInteger || v instanceof Double) {
                return v;
            }
            throw new EvaluationException("bad operand type for unary +");
        }
        return atom();
    }

    private Object atom() {
        if (next >= tokens.size()) {
            throw new EvaluationException("condition ends too early");
        }
        String t = tokens.get(next++);
        if (t.equals("(")) {
            Object v = orTest();
            if (!accept(")")) {
                throw new EvaluationException("missing closing bracket");
            }
            return v;
        }
        switch (t) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return null;
            default:
                break;
        }
        if (t.startsWith(ConditionTokenizer.STRING_MARK)) {
            return t.substring(1);
        }
        char c = t.charAt(0);
        if (Character.isDigit(c) || c == '.') {
            return number(t);
        }
        throw new EvaluationException("name \"" + t + "\" is not defined");
    }

    private boolean accept(String token) {
        if (next < tokens.size() && tokens.get(next).equals(token)) {
            next++;
            return true;
        }
        return false;
    }

    private static Object number(String t) {
        String digits = t.replace("_", "");
        try {
            if (digits.matches("[0-9]+")) {
                if (digits.length() > 1 && digits.startsWith("0") && !digits.matches("0+")) {
                    throw new EvaluationException("leading zeros are not permitted in \"" + t + "\"");
                }
                return new BigInteger(digits);
            }
            return Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            throw new EvaluationException("invalid number \"" + t + "\"");
        }
    }

    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof BigInteger i) {
            return i.signum() != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        return !((String) v).isEmpty();
    }

    private static boolean compare(String op, Object a, Object b) {
        if (isNumeric(a) && isNumeric(b)) {
            int c = compareNumbers(a, b);
            return apply(op, c);
        }
        if (a instanceof String x && b instanceof String y) {
            return apply(op, Integer.signum(x.compareTo(y)));
        }
        boolean same = a == null ? b == null : a.equals(b);
        if (op.equals("==")) {
            return same;
        }
        if (op.equals("!=")) {
            return !same;
        }
        throw new EvaluationException("\"" + op + "\" cannot compare " + kind(a) + " with " + kind(b));
    }

    private static boolean apply(String op, int c) {
        return switch (op) {
            case "==" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            default -> c >= 0;
        };
    }

    private static boolean isNumeric(Object v) {
        return v instanceof Boolean || v instanceof BigInteger || v instanceof Double;
    }

    private static int compareNumbers(Object a, Object b) {
        double da = asDouble(a);
        double db = asDouble(b);
        if (Double.isNaN(da) || Double.isNaN(db)) {
            return Double.compare(da, db);
        }
        if (Double.isInfinite(da) || Double.isInfinite(db)) {
            return Double.compare(da, db);
        }
        return asDecimal(a).compareTo(asDecimal(b));
    }

    private static double asDouble(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) v).doubleValue();
    }

    private static BigDecimal asDecimal(Object v) {
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        return new BigDecimal((Double) v);
    }

    private static String kind(Object v) {
        return v == null ? "None" : v instanceof String ? "str" : v instanceof Boolean ? "bool"
                : v instanceof BigInteger ? "int" : "float";
    }
}
