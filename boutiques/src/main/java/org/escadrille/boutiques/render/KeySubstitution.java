package org.escadrille.boutiques.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.boutiques.json.PythonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * bosh's value-key substitution ({@code _replaceKeysInTemplate}), rule for rule: lists joined by their
 * list-separator, String/File values and output paths shell-quoted, flags and flag separators, stripped
 * extensions removed everywhere in the value, File values cut to their basename inside output paths,
 * and keys without a value removed together with the space before them.
 */
final class KeySubstitution {

    /** What to do with a key whose parameter has no value. */
    enum Unfound { REMOVE, CLEAR, KEEP }

    /** An input or output as substitution sees it; {@code type} is null for outputs. */
    record Param(String id, String type, String valueKey, String flag, String flagSeparator, String listSeparator) {
    }

    /** The value being substituted: still the raw JSON value, or text already. */
    private record Value(JsonNode raw, String text) {
        static Value of(String text) {
            return new Value(null, text);
        }

        String str() {
            return text != null ? text : PythonValues.str(raw);
        }

        boolean isNone() {
            return text == null && raw.isNull();
        }

        String requireText(String what) {
            if (text != null) {
                return text;
            }
            if (raw.isString()) {
                return raw.stringValue();
            }
            throw new RenderException("bosh cannot " + what + " of the non-string value " + PythonValues.repr(raw));
        }
    }

    private final List<Param> params;
    private final Map<String, JsonNode> inputValues;
    private final Map<String, String> outputValues;

    KeySubstitution(List<Param> params, Map<String, JsonNode> inputValues, Map<String, String> outputValues) {
        this.params = params;
        this.inputValues = inputValues;
        this.outputValues = outputValues;
    }

    Template apply(Template template, boolean useFlags, Unfound unfound, List<String> strippedExtensions,
            boolean isOutput, boolean escapeSpecialChars) {
        for (Param p : params) {
            boolean isString = "String".equals(p.type()) || "File".equals(p.type());
            boolean escape = (escapeSpecialChars && isString) || outputValues.containsKey(p.id());
            String key = p.valueKey();
            if (key == null) {
                continue;
            }
            JsonNode given = outputValues.containsKey(p.id())
                    ? JsonNodeFactory.instance.stringNode(outputValues.get(p.id())) : inputValues.get(p.id());
            if (given == null) {
                switch (unfound) {
                    case REMOVE -> template.replace(template.contains(" " + key) ? " " + key : key, "");
                    case CLEAR -> {
                        if (template.contains(key)) {
                            return Template.empty();
                        }
                    }
                    case KEEP -> {
                    }
                }
                continue;
            }
            Value val;
            if (given.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode x : given) {
                    items.add(escape ? ShellQuoting.quote(PythonValues.str(x)) : PythonValues.str(x));
                }
                val = Value.of(String.join(p.listSeparator() == null ? " " : p.listSeparator(), items));
            } else if (escape) {
                val = Value.of(ShellQuoting.quote(given));
            } else {
                val = new Value(given, null);
            }
            if (useFlags && p.flag() != null) {
                if ("Flag".equals(p.type())) {
                    boolean isFalse = val.raw() != null && val.raw().isBoolean() && !val.raw().booleanValue();
                    val = Value.of(isFalse ? "" : p.flag());
                } else {
                    String separator = p.flagSeparator() == null ? " " : p.flagSeparator();
                    val = Value.of(p.flag() + separator + val.str());
                }
            }
            if (isString) {
                for (String extension : strippedExtensions) {
                    val = Value.of(val.requireText("strip extensions").replace(extension, ""));
                }
                int position = template.indexOf(key);
                if ("File".equals(p.type()) && position > 0 && isOutput) {
                    val = Value.of(PosixPaths.basename(val.requireText("take the file name")));
                }
            }
            if (!val.isNone() && !(val.text() != null ? val.text().isEmpty() : val.raw().isString()
                    && val.raw().stringValue().isEmpty())) {
                template.replace(key, val.str());
            } else {
                template.replace(" " + key, val.str());
            }
        }
        return template;
    }
}
