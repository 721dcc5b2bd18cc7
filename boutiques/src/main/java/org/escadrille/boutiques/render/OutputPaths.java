package org.escadrille.boutiques.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.boutiques.ConditionalPath;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.OutputFile;
import org.escadrille.boutiques.json.PythonValues;
import tools.jackson.databind.JsonNode;

/**
 * Resolves output paths as bosh's {@code _generateOutputFileNames}: two passes (so a path may use another
 * output's value-key), conditional-path-templates evaluated in order, values substituted without quoting,
 * then {@code os.path.abspath} against the base directory for outputs with uses-absolute-path.
 */
final class OutputPaths {

    private final Descriptor descriptor;
    private final Map<String, JsonNode> inputValues;
    private final KeySubstitution substitution;
    private final Map<String, Template> paths = new LinkedHashMap<>();
    private final Map<String, String> pathTexts;
    private final String baseDirectory;

    OutputPaths(Descriptor descriptor, Map<String, JsonNode> inputValues, List<KeySubstitution.Param> params,
            Map<String, String> pathTexts, String baseDirectory) {
        this.descriptor = descriptor;
        this.inputValues = inputValues;
        this.pathTexts = pathTexts;
        this.baseDirectory = baseDirectory;
        this.substitution = new KeySubstitution(params, inputValues, pathTexts);
    }

    void resolve() {
        pass();
        pass();
    }

    private void pass() {
        // bosh's loop variable outlives each iteration: an output whose conditions all fail keeps the
        // previous output's path. Kept for fidelity; it only happens with no matching "default".
        Template fileName = null;
        for (OutputFile out : descriptor.outputFiles()) {
            if (out.pathTemplate() != null) {
                fileName = paths.containsKey(out.id()) ? paths.get(out.id()).copy() : Template.of(out.pathTemplate());
            } else {
                for (ConditionalPath entry : out.conditionalPathTemplate()) {
                    String condition = expression(entry.condition());
                    if (condition.equals("default") || evaluate(out, condition)) {
                        if (condition.equals("default") && !entry.condition().equals("default")) {
                            throw new RenderException("output \"" + out.id() + "\": write the default condition "
                                    + "exactly as \"default\"");
                        }
                        if (entry.pathTemplate() == null) {
                            throw new RenderException("output \"" + out.id() + "\": the path of condition \""
                                    + entry.condition() + "\" must be a string");
                        }
                        fileName = Template.of(entry.pathTemplate());
                        break;
                    }
                }
                if (fileName == null) {
                    throw new RenderException("output \"" + out.id() + "\": no condition of its "
                            + "conditional-path-template holds and it has no \"default\"");
                }
                fileName = fileName.copy();
            }
            fileName = substitution.apply(fileName, false, KeySubstitution.Unfound.KEEP,
                    out.pathTemplateStrippedExtensions(), true, false);
            if (out.usesAbsolutePath()) {
                fileName = Template.of(PosixPaths.abspath(baseDirectory, fileName.text()));
            }
            paths.put(out.id(), fileName);
            pathTexts.put(out.id(), fileName.text());
        }
    }

    private boolean evaluate(OutputFile out, String condition) {
        try {
            return ConditionalExpression.isTrue(condition);
        } catch (ConditionalExpression.EvaluationException e) {
            throw new RenderException("output \"" + out.id() + "\": condition \"" + condition
                    + "\" cannot be evaluated: " + e.getMessage());
        }
    }

    // bosh's _getCondPathTemplateExp: ids become their values (numbers bare, the rest in double quotes);
    // an id without a value makes the whole condition False.
    private String expression(String key) {
        String formatted;
        try {
            formatted = ConditionalExpression.format(key);
        } catch (IllegalArgumentException e) {
            throw new RenderException("condition \"" + key + "\" ends with an operator");
        }
        List<String> ids = new ArrayList<>();
        descriptor.inputs().stream().map(Input::id).forEach(ids::add);
        descriptor.outputFiles().stream().map(OutputFile::id).forEach(ids::add);
        List<String> parsed = new ArrayList<>();
        for (String word : PythonValues.split(formatted)) {
            String value = pathTexts.containsKey(word) ? pathTexts.get(word)
                    : inputValues.containsKey(word) ? PythonValues.str(inputValues.get(word)) : null;
            if (value != null) {
                String digits = value.replace(".", "").replace("-", "");
                parsed.add(PythonValues.isDigit(digits) ? value : "\"" + value + "\"");
            } else if (ids.contains(word)) {
                parsed = new ArrayList<>(List.of("False"));
                break;
            } else {
                parsed.add(word);
            }
        }
        return String.join(" ", parsed);
    }

    Map<String, String> texts() {
        return pathTexts;
    }
}
