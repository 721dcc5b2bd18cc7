package org.escadrille.boutiques.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.Pointer;
import org.escadrille.boutiques.json.PythonValues;
import org.escadrille.boutiques.render.ConditionalExpression;
import tools.jackson.databind.JsonNode;

/**
 * bosh's checks of conditional-path-templates. Like bosh, only outputs marked {@code "optional": false}
 * have their conditions checked: one {@code default} entry, names that are input or output ids, and
 * comparisons between values of the same type (ids are replaced by their input type, then compared).
 */
final class ConditionalPathRules {

    private static final List<String> TYPES = List.of("String", "File", "Flag", "Number");
    private static final List<String> COMPARATORS = List.of("==", "!=", "<", ">", "<=", ">=");
    private static final Pattern NUMBER = Pattern.compile("^[0-9]*\\.?[0-9]+$");
    private static final Pattern BOOLEAN = Pattern.compile("^(True|False|false|true)$");

    /** bosh's check ran off the end of the expression (a Python IndexError): the expression is malformed. */
    private static final class Truncated extends RuntimeException {
        Truncated() {
            super(null, null, false, false);
        }
    }

    private ConditionalPathRules() {
    }

    static void check(DescriptorView v, List<Problem> out) {
        List<String> conditions = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < v.outputs.size(); i++) {
            JsonNode o = v.outputs.get(i);
            String at = Pointer.child("/output-files", i);
            if (!o.has("conditional-path-template")) {
                continue;
            }
            if (!o.has("optional")) {
                out.add(Problem.at(at, "an output with a conditional-path-template must say whether it is "
                        + "\"optional\" (bosh fails without it)"));
                continue;
            }
            if (DescriptorView.truthy(o, "optional")) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            JsonNode entries = o.get("conditional-path-template");
            for (int e = 0; e < entries.size(); e++) {
                String entryAt = Pointer.child(Pointer.child(at, "conditional-path-template"), e);
                if (entries.get(e).isEmpty()) {
                    out.add(Problem.at(entryAt, "an entry needs a condition and its path"));
                    continue;
                }
                keys.add(entries.get(e).propertyNames().iterator().next());
                locations.add(entryAt);
            }
            conditions.addAll(keys);
            if (!keys.contains("default")) {
                out.add(Problem.at(at, "a required output with a conditional-path-template needs a \"default\" entry"));
            }
            if (Collections.frequency(keys, "default") > 1) {
                out.add(Problem.at(at, "only one \"default\" entry is permitted in a conditional-path-template"));
            }
        }
        for (int c = 0; c < conditions.size(); c++) {
            checkCondition(v, conditions.get(c), locations.get(c), out);
        }
    }

    private static void checkCondition(DescriptorView v, String condition, String at, List<Problem> out) {
        String formatted;
        try {
            formatted = ConditionalExpression.format(condition);
        } catch (IllegalArgumentException e) {
            out.add(Problem.at(at, "condition \"%s\" ends with an operator", condition));
            return;
        }
        List<String> words = PythonValues.split(formatted);
        if (words.isEmpty()) {
            out.add(Problem.at(at, "a condition must not be empty"));
            return;
        }
        if (words.get(0).equals("default") && words.size() == 1) {
            return;
        }
        for (String w : words) {
            if (isName(w) && !v.inputIds.contains(w) && !v.outputIds.contains(w)) {
                out.add(Problem.at(at, "condition \"%s\" uses \"%s\", which is neither an input id nor a Python "
                        + "keyword", condition, w));
            }
        }
        List<String> typed = new ArrayList<>(words);
        for (int i = 0; i < typed.size(); i++) {
            if (isName(typed.get(i)) && v.isInput(typed.get(i))) {
                typed.set(i, DescriptorView.text(v.input(typed.get(i)), "type"));
            }
        }
        boolean valid;
        try {
            valid = isValid(String.join(" ", typed));
        } catch (Truncated e) {
            valid = false;
        }
        if (!valid) {
            out.add(Problem.at(at, "condition \"%s\" is not valid: compare values of the same type (input ids with "
                    + "underscores are not recognised) and use only and, or, true, false", condition));
        }
    }

    private static boolean isName(String word) {
        return !PythonValues.isKeyword(word) && PythonValues.isAlnum(word) && !PythonValues.isDigit(word);
    }

    // A line-by-line port of bosh's isValidConditionalExp, quirks included (nested brackets, index wrap-around).
    private static boolean isValid(String exp) {
        int brackets = 0;
        int start = 0;
        StringBuilder rebuilt = new StringBuilder();
        for (int idx = 0; idx < exp.length(); idx++) {
            char c = exp.charAt(idx);
            if (c == '(') {
                brackets++;
                start = idx + 1;
            } else if (c == ')') {
                brackets--;
                if (brackets == 0) {
                    if (!isValid(start <= idx ? exp.substring(start, idx) : "")) {
                        return false;
                    }
                    rebuilt.append("True");
                }
            } else if (brackets == 0) {
                rebuilt.append(c);
            }
        }
        List<String> elements = PythonValues.split(rebuilt.toString());
        int n = elements.size();
        for (int idx = 0; idx < n; idx++) {
            String e = elements.get(idx);
            if (COMPARATORS.contains(e) && !typeOf(at(elements, idx - 1)).equals(typeOf(at(elements, idx + 1)))) {
                return false;
            }
            String lower = e.toLowerCase(Locale.ROOT);
            if (PythonValues.isKeyword(e) && !List.of("and", "or", "false", "true").contains(lower)) {
                return false;
            }
            if ((lower.equals("and") || lower.equals("or"))
                    && (!isOperand(at(elements, idx - 1)) || !isOperand(at(elements, idx + 1)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOperand(String s) {
        return TYPES.contains(s) || s.equals("True") || s.equals("False");
    }

    private static String at(List<String> list, int index) {
        int i = index < 0 ? list.size() + index : index;
        if (i < 0 || i >= list.size()) {
            throw new Truncated();
        }
        return list.get(i);
    }

    private static String typeOf(String s) {
        String t = s.strip();
        if (TYPES.contains(t)) {
            return t.equals("File") ? "String" : t;
        }
        if (NUMBER.matcher(t).find()) {
            return "Number";
        }
        if (BOOLEAN.matcher(t).find()) {
            return "Flag";
        }
        return "String";
    }
}
