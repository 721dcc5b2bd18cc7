package org.escadrille.server.execution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InputType;
import org.escadrille.boutiques.InvalidInvocationException;
import org.escadrille.boutiques.OutputFile;
import org.escadrille.boutiques.invocation.FileValues;
import org.escadrille.boutiques.invocation.InvocationValidator;
import org.escadrille.boutiques.render.CommandLineRenderer;
import org.escadrille.boutiques.sweep.SweepExpander;
import org.escadrille.boutiques.sweep.SweepStrategy;
import org.escadrille.protocol.RelativePaths;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.NetworkSpec;
import org.escadrille.server.catalog.PilotTagsSpec;
import org.escadrille.server.scheduling.TaskSpec;
import org.escadrille.server.storage.StoredFile;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Expands a launch into tasks, with the {@code boutiques} library doing what bosh would: the request's
 * values are converted to the descriptor's types, File inputs given a directory become a sweep over
 * its files, sweeps expand (cross or dot), every point is validated with its defaults applied, File
 * values are replaced by the names they will have in the task's working directory, and each task's
 * command line, outputs, configuration files and environment are rendered.
 */
@Component
class TaskPlanner {
    private final UserFiles files;

    TaskPlanner(UserFiles files) {
        this.files = files;
    }

    List<PlannedTask> plan(Application application, LaunchRequest request, Account owner) {
        Descriptor descriptor = Descriptor.parse(application.descriptorJson());
        ObjectNode invocation = typed(descriptor, request.inputs(), owner);
        var strategy = request.iterate().equals("dot") ? SweepStrategy.DOT : SweepStrategy.CROSS;
        try {
            var planned = new ArrayList<PlannedTask>();
            // Each file of the launch looked up once, however many tasks read it: on S3 a lookup is a request
            // to the store (a sweep of 1,000 tasks over one input made 1,000 of them).
            var lookedUp = new HashMap<String, StoredFile>();
            for (var point : SweepExpander.expand(descriptor, invocation, strategy)) {
                ObjectNode values = InvocationValidator.requireComplete(descriptor, point.invocation());
                planned.add(new PlannedTask(point.label().isEmpty() ? "task" : point.label(),
                        spec(descriptor, values, owner, lookedUp)));
            }
            return planned;
        } catch (InvalidInvocationException e) {
            throw invalid(application, e.problems().stream()
                    .map(p -> new FieldProblem(field(p.location()), p.message())).toList());
        }
    }

    /** The request's values as JSON of the descriptor's types; strings like "1e8" or "true" are converted. */
    private ObjectNode typed(Descriptor descriptor, Map<String, JsonNode> inputs, Account owner) {
        var problems = new ArrayList<FieldProblem>();
        var invocation = JsonNodeFactory.instance.objectNode();
        var byId = new LinkedHashMap<String, Input>();
        descriptor.inputs().forEach(input -> byId.put(input.id(), input));
        inputs.forEach((id, value) -> {
            Input input = byId.get(id);
            if (input == null) {
                problems.add(new FieldProblem("inputs." + id, "is not an input of " + descriptor.name()
                        + "; its inputs are " + String.join(", ", byId.keySet())));
            } else if (value != null && !value.isNull()) {
                JsonNode converted = convert(input, value, problems);
                if (input.type() == InputType.FILE && !input.list() && converted.isString()) {
                    converted = directoryAsSweep(owner, converted);
                }
                invocation.set(id, converted);
            }
        });
        if (!problems.isEmpty()) {
            throw invalid(descriptor.name(), problems);
        }
        return invocation;
    }

    private static JsonNode convert(Input input, JsonNode value, List<FieldProblem> problems) {
        if (value.isArray()) {
            var array = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> array.add(convert(input, item, problems)));
            return array;
        }
        if (!value.isString()) {
            return value;
        }
        String text = value.asString().strip();
        return switch (input.type()) {
            case NUMBER -> {
                try {
                    var number = new BigDecimal(text);
                    yield number.stripTrailingZeros().scale() <= 0
                            ? JsonNodeFactory.instance.numberNode(number.toBigIntegerExact())
                            : JsonNodeFactory.instance.numberNode(number);
                } catch (NumberFormatException | ArithmeticException e) {
                    problems.add(new FieldProblem("inputs." + input.id(), "must be a number, got \"" + text + "\""));
                    yield value;
                }
            }
            case FLAG -> switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> JsonNodeFactory.instance.booleanNode(true);
                case "false", "no", "0" -> JsonNodeFactory.instance.booleanNode(false);
                default -> {
                    problems.add(new FieldProblem("inputs." + input.id(), "must be true or false, got \"" + text + "\""));
                    yield value;
                }
            };
            default -> value;
        };
    }

    /** A File input given a directory of the user's space sweeps over the files in it. */
    private JsonNode directoryAsSweep(Account owner, JsonNode value) {
        var path = UserPath.of(value.asString());
        var entries = path.isRoot() ? List.<UserFiles.Listing>of() : listIfDirectory(owner, path);
        if (entries.isEmpty()) {
            return value;
        }
        var array = JsonNodeFactory.instance.arrayNode();
        entries.stream().filter(e -> !e.directory()).forEach(e -> array.add(e.path()));
        return array;
    }

    private List<UserFiles.Listing> listIfDirectory(Account owner, UserPath path) {
        try {
            return files.list(owner, path);
        } catch (InvalidRequestException notADirectory) {
            return List.of();
        }
    }

    private TaskSpec spec(Descriptor descriptor, ObjectNode values, Account owner, Map<String, StoredFile> lookedUp) {
        var staged = new LinkedHashMap<String, TaskSpec.StagedInput>();
        var namesTaken = new HashMap<String, String>();
        ObjectNode local = FileValues.replace(descriptor, values, value -> stage(owner, value, staged, namesTaken, lookedUp));
        var rendered = CommandLineRenderer.renderValidated(descriptor, local, ".");
        var outputs = new ArrayList<TaskAssignment.OutputSpec>();
        var configFiles = new ArrayList<TaskAssignment.ConfigFile>();
        var problems = new ArrayList<FieldProblem>();
        for (OutputFile output : descriptor.outputFiles()) {
            String path = rendered.outputs().get(output.id());
            if (path == null) {
                continue;
            }
            if (!confined(output.id(), path, problems)) {
                continue;
            }
            outputs.add(new TaskAssignment.OutputSpec(output.id(), path, Boolean.TRUE.equals(output.optional())
                    || output.isConfigurationFile()));
        }
        rendered.configFiles().stream().filter(file -> confined(file.outputId(), file.path(), problems))
                .forEach(file -> configFiles.add(new TaskAssignment.ConfigFile(file.path(), file.content())));
        if (!problems.isEmpty()) {
            throw invalid(descriptor.name(), problems);
        }
        var image = descriptor.containerImage();
        return new TaskSpec(rendered.commandLine(), List.copyOf(staged.values()), outputs, configFiles,
                rendered.environment(), image == null ? null : image.image(), 0, null, null,
                PilotTagsSpec.parse(descriptor).tags(), NetworkSpec.parse(descriptor).network(),
                TaskResources.of(descriptor.suggestedResources()));
    }

    /** Whether an output's rendered path stays in the working directory; if not, a problem naming the output. */
    private static boolean confined(String outputId, String path, List<FieldProblem> problems) {
        try {
            RelativePaths.requireConfined(path);
            return true;
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("output-files." + outputId, "its path " + path
                    + " would be outside the task's working directory: outputs must be relative paths"));
            return false;
        }
    }

    /**
     * Stages a file of the owner's space for a task: the name it gets in the working directory. {@code lookedUp}
     * holds the files of the launch already looked up, by path.
     */
    private String stage(Account owner, String value, Map<String, TaskSpec.StagedInput> staged,
                         Map<String, String> namesTaken, Map<String, StoredFile> lookedUp) {
        var path = UserPath.of(value);
        if (staged.containsKey(path.value())) {
            return staged.get(path.value()).path();
        }
        StoredFile stored = lookedUp.get(path.value());
        if (stored == null) {
            stored = files.stat(owner, path);
            lookedUp.put(path.value(), stored);
        }
        String name = path.name();
        if (namesTaken.containsKey(name)) {
            name = "input-" + staged.size() + "/" + name;
        }
        namesTaken.put(name, path.value());
        staged.put(path.value(), new TaskSpec.StagedInput(name, files.storageKey(owner, path), stored.size(), stored.sha256()));
        return name;
    }

    private static String field(String pointer) {
        return pointer.isEmpty() ? "inputs" : "inputs" + pointer.replace('/', '.');
    }

    private static InvalidRequestException invalid(Application application, List<FieldProblem> problems) {
        return invalid(application.name(), problems);
    }

    private static InvalidRequestException invalid(String app, List<FieldProblem> problems) {
        var first = problems.getFirst();
        return new InvalidRequestException("Invalid inputs", problems.size() + " problem(s) in the inputs of " + app
                + ": " + first.field() + " " + first.message(), problems);
    }
}
