package org.escadrille.server.portal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InputType;
import tools.jackson.databind.JsonNode;

/**
 * One input of a launch form, as the template draws it: which control, its label and help, the value
 * as typed, the values of a sweep (or of a list input), and the messages about it.
 */
record LaunchField(String id, String name, String description, String type, Control control, boolean required,
                   String placeholder, String hint, List<String> choices, String value, String lines, boolean sweepable,
                   List<String> errors) {

    /** How an input is entered. LINES: a list input, one value per line. */
    enum Control { TEXT, NUMBER, SELECT, CHECKBOX, FILE, LINES }

    static LaunchField of(Input input, SubmittedValues values, List<String> errors) {
        var choices = new ArrayList<String>();
        input.valueChoices().forEach(choice -> choices.add(text(choice)));
        Control control = input.list() ? Control.LINES
                : !choices.isEmpty() ? Control.SELECT
                : switch (input.type()) {
                    case FLAG -> Control.CHECKBOX;
                    case FILE -> Control.FILE;
                    case NUMBER -> Control.NUMBER;
                    case STRING -> Control.TEXT;
                };
        String placeholder = input.defaultValue() == null || input.defaultValue().isNull() ? ""
                : "default: " + text(input.defaultValue());
        boolean sweepable = !input.list() && input.type() != InputType.FLAG;
        return new LaunchField(input.id(), input.name(), input.description() == null ? "" : input.description(),
                input.type().jsonName(), control, !input.optional(), placeholder, hint(input), choices,
                values.value(input.id()), values.lines(input.id()), sweepable, errors);
    }

    public String inputName() {
        return SubmittedValues.VALUE + id;
    }

    public String linesName() {
        return SubmittedValues.LINES + id;
    }

    public String domId() {
        return "in-" + id;
    }

    public String linesDomId() {
        return "lines-" + id;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public boolean checked() {
        return "true".equalsIgnoreCase(value.strip()) || "on".equalsIgnoreCase(value.strip());
    }

    /** Whether anything is typed in it: optional inputs with a value are shown unfolded. */
    public boolean isFilled() {
        return !value.isBlank() || !lines.isBlank();
    }

    /** What a valid value looks like, from the descriptor's constraints ("a whole number, at least 1"). */
    private static String hint(Input input) {
        var parts = new ArrayList<String>();
        if (input.type() == InputType.NUMBER) {
            parts.add(input.integer() ? "a whole number" : "a number");
            String min = bound(input.minimum()), max = bound(input.maximum());
            if (min != null && max != null) {
                parts.add("from " + min + (input.exclusiveMinimum() ? " (excluded)" : "") + " to " + max
                        + (input.exclusiveMaximum() ? " (excluded)" : ""));
            } else if (min != null) {
                parts.add(input.exclusiveMinimum() ? "above " + min : "at least " + min);
            } else if (max != null) {
                parts.add(input.exclusiveMaximum() ? "below " + max : "at most " + max);
            }
        } else if (input.type() == InputType.FILE) {
            parts.add("a file of your space; a folder runs once per file in it");
        }
        if (input.list()) {
            parts.add("one value per line");
        }
        return String.join(", ", parts);
    }

    private static String bound(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asString() : value.toString();
    }
}
