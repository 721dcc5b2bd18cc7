package org.escadrille.server.montecarlo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small arithmetic expression over the fields of a merged JSON result ({@code 4 * inside / total}):
 * numbers, field names, {@code + - * /}, unary minus and parentheses. Parsed once, evaluated on
 * doubles; it can name fields and nothing else.
 */
public final class Expression {
    private final Node root;
    private final String text;

    private Expression(Node root, String text) {
        this.root = root;
        this.text = text;
    }

    /** @throws IllegalArgumentException saying what is wrong and where */
    public static Expression parse(String text) {
        var parser = new Parser(tokens(text), text);
        Node root = parser.sum();
        if (parser.position < parser.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + parser.tokens.get(parser.position) + "' in " + text);
        }
        return new Expression(root, text);
    }

    /** The value for these fields. @throws IllegalArgumentException naming a field that is missing */
    public double evaluate(Map<String, Double> fields) {
        return root.value(fields);
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node {
        double value(Map<String, Double> fields);
    }

    private static List<String> tokens(String text) {
        var tokens = new ArrayList<String>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if ("+-*/()".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if (Character.isDigit(c) || c == '.') {
                int start = i;
                while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.'
                        || text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else {
                throw new IllegalArgumentException("unexpected character '" + c + "' in " + text
                        + " (only numbers, field names, + - * / and parentheses)");
            }
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("an expression is required, e.g. 4 * inside / total");
        }
        return tokens;
    }

    private static final class Parser {
        private final List<String> tokens;
        private final String text;
        private int position;

        Parser(List<String> tokens, String text) {
            this.tokens = tokens;
            this.text = text;
        }

        Node sum() {
            Node left = product();
            while (peek("+") || peek("-")) {
                String op = tokens.get(position++);
                Node l = left;
                Node r = product();
                left = op.equals("+") ? f -> l.value(f) + r.value(f) : f -> l.value(f) - r.value(f);
            }
            return left;
        }

        Node product() {
            Node left = unary();
            while (peek("*") || peek("/")) {
                String op = tokens.get(position++);
                Node l = left;
                Node r = unary();
                left = op.equals("*") ? f -> l.value(f) * r.value(f) : f -> l.value(f) / r.value(f);
            }
            return left;
        }

        Node unary() {
            if (peek("-")) {
                position++;
                Node operand = unary();
                return f -> -operand.value(f);
            }
            return atom();
        }

        Node atom() {
            if (position >= tokens.size()) {
                throw new IllegalArgumentException("the expression ends too early: " + text);
            }
            String token = tokens.get(position++);
            if (token.equals("(")) {
                Node inner = sum();
                if (!peek(")")) {
                    throw new IllegalArgumentException("a ')' is missing in " + text);
                }
                position++;
                return inner;
            }
            if (Character.isDigit(token.charAt(0)) || token.charAt(0) == '.') {
                try {
                    double constant = Double.parseDouble(token);
                    return f -> constant;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + token + "' is not a number in " + text);
                }
            }
            if (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_') {
                return f -> {
                    Double value = f.get(token);
                    if (value == null) {
                        throw new IllegalArgumentException("the merged result has no numeric field " + token);
                    }
                    return value;
                };
            }
            throw new IllegalArgumentException("unexpected '" + token + "' in " + text);
        }

        private boolean peek(String token) {
            return position < tokens.size() && tokens.get(position).equals(token);
        }
    }
}
