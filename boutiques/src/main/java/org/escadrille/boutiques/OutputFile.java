package org.escadrille.boutiques;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One output file of a tool: its path template (or conditional path templates), the extensions stripped
 * from input values substituted in it, and for configuration files the lines of its file-template.
 * {@code optional} is null when the descriptor does not say (bosh treats the two differently).
 */
public record OutputFile(String id, String name, String description, String valueKey, String pathTemplate,
        List<ConditionalPath> conditionalPathTemplate, List<String> pathTemplateStrippedExtensions, boolean list,
        Boolean optional, String commandLineFlag, String commandLineFlagSeparator, boolean usesAbsolutePath,
        List<String> fileTemplate) {

    public OutputFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        conditionalPathTemplate = List.copyOf(conditionalPathTemplate);
        pathTemplateStrippedExtensions = List.copyOf(pathTemplateStrippedExtensions);
        fileTemplate = fileTemplate == null ? null : List.copyOf(fileTemplate);
    }

    /** Whether the tool writes this file from {@link #fileTemplate()} lines before it runs. */
    public boolean isConfigurationFile() {
        return fileTemplate != null;
    }

    static OutputFile fromJson(JsonNode out) {
        List<ConditionalPath> conditional = new ArrayList<>();
        for (JsonNode entry : Fields.nodes(out, "conditional-path-template")) {
            if (entry.isObject() && !entry.isEmpty()) {
                String condition = entry.propertyNames().iterator().next();
                JsonNode path = entry.get(condition);
                conditional.add(new ConditionalPath(condition, path.isString() ? path.stringValue() : null));
            }
        }
        List<String> fileTemplate = out.has("file-template") ? Fields.texts(out, "file-template") : null;
        return new OutputFile(Fields.text(out, "id"), Fields.text(out, "name"), Fields.text(out, "description"),
                Fields.text(out, "value-key"), Fields.text(out, "path-template"), conditional,
                Fields.texts(out, "path-template-stripped-extensions"), Fields.flag(out, "list"),
                Fields.optionalFlag(out, "optional"), Fields.text(out, "command-line-flag"),
                Fields.text(out, "command-line-flag-separator"), Fields.flag(out, "uses-absolute-path"), fileTemplate);
    }
}
