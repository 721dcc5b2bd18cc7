package org.escadrille.boutiques.render;

import java.util.ArrayList;
import java.util.List;

/** Splits a condition into Python tokens: string literals, numbers, names, comparison operators, brackets. */
final class ConditionTokenizer {

    /** Prefix marking a token as the value of a string literal, so it never reads as a name or operator. */
    static final String STRING_MARK = "\u0000";

    private ConditionTokenizer() {
    }

    static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder literal = new StringBuilder(STRING_MARK);
                int j = i + 1;
                while (true) {
                    if (j >= s.length() || s.charAt(j) == '\n') {
                        throw new ConditionalExpression.EvaluationException("unterminated string in condition");
                    }
                    char d = s.charAt(j);
                    if (d == c) {
                        break;
                    }
                    if (d == '\\' && j + 1 < s.length()) {
                        j = escape(s, j + 1, literal);
                    } else {
                        literal.append(d);
                        j++;
                    }
                }
                out.add(literal.toString());
                i = j + 1;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.'
                        || s.charAt(j) == '_' || ((s.charAt(j) == '-' || s.charAt(j) == '+')
                                && (s.charAt(j - 1) == 'e' || s.charAt(j - 1) == 'E')))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (i + 1 < s.length() && List.of("==", "!=", "<=", ">=").contains(s.substring(i, i + 2))) {
                out.add(s.substring(i, i + 2));
                i += 2;
            } else if ("<>()-+".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else {
                throw new ConditionalExpression.EvaluationException("unsupported character '" + c + "' in condition");
            }
        }
        return out;
    }

    private static int escape(String s, int j, StringBuilder literal) {
        char e = s.charAt(j);
        switch (e) {
            case 'n' -> literal.append('\n');
            case 't' -> literal.append('\t');
            case 'r' -> literal.append('\r');
            case '\\', '\'', '"' -> literal.append(e);
            case '\n' -> {
            }
            default -> literal.append('\\').append(e);
        }
        return j + 1;
    }
}
