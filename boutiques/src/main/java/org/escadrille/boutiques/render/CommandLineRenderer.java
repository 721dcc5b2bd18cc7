package org.escadrille.boutiques.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.EnvironmentVariable;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InvalidInvocationException;
import org.escadrille.boutiques.OutputFile;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.invocation.InvocationValidator;
import org.escadrille.boutiques.json.PythonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders an invocation into the command line, output paths, configuration files and environment that
 * {@code bosh exec simulate} / {@code launch} would produce, byte for byte. Rendering touches no file:
 * like bosh, File values are used as given (neither checked for existence nor made absolute); the base
 * directory only serves outputs with {@code uses-absolute-path} (bosh's current directory). To render for
 * staged files, pass an invocation whose File values are the staged paths. One departure: a File value or
 * output path that begins with {@code -} is written {@code ./-name} on the command line, never as an option.
 */
public final class CommandLineRenderer {

    private CommandLineRenderer() {
    }

    /**
     * Validates {@code invocation}, applies default values and renders it.
     *
     * @param baseDirectory absolute directory the tool runs in, for uses-absolute-path outputs
     * @throws InvalidInvocationException when bosh would refuse the invocation or fail to render it
     */
    public static RenderedInvocation render(Descriptor descriptor, JsonNode invocation, String baseDirectory) {
        ObjectNode values = InvocationValidator.requireValid(descriptor, invocation);
        return renderValidated(descriptor, values, baseDirectory);
    }

    /** Renders an invocation that is already valid and has its defaults (see {@link InvocationValidator}). */
    public static RenderedInvocation renderValidated(Descriptor descriptor, ObjectNode values, String baseDirectory) {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Map<String, JsonNode> inputValues = new LinkedHashMap<>();
        values.properties().forEach(e -> inputValues.put(e.getKey(), e.getValue()));
        List<KeySubstitution.Param> params = params(descriptor);
        Map<String, String> outputPaths = new LinkedHashMap<>();
        try {
            OutputPaths paths = new OutputPaths(descriptor, inputValues, params, outputPaths, baseDirectory);
            paths.resolve();
            KeySubstitution substitution = new KeySubstitution(params, inputValues, outputPaths);
            List<RenderedInvocation.ConfigFile> configFiles = new ArrayList<>();
            for (OutputFile out : descriptor.outputFiles()) {
                if (out.isConfigurationFile()) {
                    List<String> lines = new ArrayList<>();
                    for (String line : out.fileTemplate()) {
                        lines.add(substitution.apply(Template.of(line), false, KeySubstitution.Unfound.CLEAR,
                                out.pathTemplateStrippedExtensions(), false, true).text());
                    }
                    configFiles.add(new RenderedInvocation.ConfigFile(out.id(), outputPaths.get(out.id()),
                            String.join("\n", lines)));
                }
            }
            KeySubstitution arguments = new KeySubstitution(params, OptionLikeValues.files(descriptor, inputValues),
                    OptionLikeValues.paths(outputPaths));
            String commandLine = arguments.apply(Template.of(descriptor.commandLine()), true,
                    KeySubstitution.Unfound.REMOVE, List.of(), false, true).text();
            return new RenderedInvocation(commandLine, outputPaths, configFiles, environment(descriptor, inputValues));
        } catch (RenderException e) {
            throw new InvalidInvocationException(List.of(new Problem("", e.getMessage())));
        }
    }

    private static List<KeySubstitution.Param> params(Descriptor descriptor) {
        List<KeySubstitution.Param> params = new ArrayList<>();
        for (Input in : descriptor.inputs()) {
            params.add(new KeySubstitution.Param(in.id(), in.type().jsonName(), in.valueKey(), in.commandLineFlag(),
                    in.commandLineFlagSeparator(), in.listSeparator()));
        }
        for (OutputFile out : descriptor.outputFiles()) {
            params.add(new KeySubstitution.Param(out.id(), null, out.valueKey(), out.commandLineFlag(),
                    out.commandLineFlagSeparator(), null));
        }
        return params;
    }

    // bosh sets a variable to an input's value when its value is exactly that input's value-key; a variable
    // naming an input without value is left out (bosh fails on it at launch).
    private static Map<String, String> environment(Descriptor descriptor, Map<String, JsonNode> values) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (Input in : descriptor.inputs()) {
            if (in.valueKey() != null) {
                byKey.put(in.valueKey(), in.id());
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvironmentVariable v : descriptor.environmentVariables()) {
            String inputId = byKey.get(v.value());
            if (inputId == null) {
                env.put(v.name(), v.value());
            } else if (values.containsKey(inputId)) {
                env.put(v.name(), PythonValues.str(values.get(inputId)));
            }
        }
        return env;
    }
}
