package org.escadrille.boutiques;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One input of a tool: its id, type, how it appears on the command line (value-key, flag, separators)
 * and the constraints an invocation must meet. Absent booleans read as false; absent texts and numbers
 * as null. {@code defaultValue}, {@code valueRequires} and {@code valueDisables} are the raw JSON.
 */
public record Input(String id, String name, InputType type, String description, String valueKey, boolean list,
        String listSeparator, boolean optional, String commandLineFlag, String commandLineFlagSeparator,
        JsonNode defaultValue, List<JsonNode> valueChoices, List<String> requiresInputs, List<String> disablesInputs,
        boolean integer, BigDecimal minimum, BigDecimal maximum, boolean exclusiveMinimum, boolean exclusiveMaximum,
        BigDecimal minListEntries, BigDecimal maxListEntries, boolean usesAbsolutePath, JsonNode valueRequires,
        JsonNode valueDisables) {

    public Input {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        valueChoices = List.copyOf(valueChoices);
        requiresInputs = List.copyOf(requiresInputs);
        disablesInputs = List.copyOf(disablesInputs);
    }

    static Input fromJson(JsonNode in) {
        return new Input(Fields.text(in, "id"), Fields.text(in, "name"), InputType.fromJson(Fields.text(in, "type")),
                Fields.text(in, "description"), Fields.text(in, "value-key"), Fields.flag(in, "list"),
                Fields.text(in, "list-separator"), Fields.flag(in, "optional"), Fields.text(in, "command-line-flag"),
                Fields.text(in, "command-line-flag-separator"), Fields.node(in, "default-value"),
                Fields.nodes(in, "value-choices"), Fields.texts(in, "requires-inputs"),
                Fields.texts(in, "disables-inputs"), Fields.flag(in, "integer"), Fields.number(in, "minimum"),
                Fields.number(in, "maximum"), Fields.flag(in, "exclusive-minimum"), Fields.flag(in, "exclusive-maximum"),
                Fields.number(in, "min-list-entries"), Fields.number(in, "max-list-entries"),
                Fields.flag(in, "uses-absolute-path"), Fields.node(in, "value-requires"),
                Fields.node(in, "value-disables"));
    }
}
