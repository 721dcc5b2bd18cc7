package org.escadrille.server.execution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.scheduling.TaskSpec;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Expands a launch into tasks: converts the request's values to the descriptor's types, expands
 * sweeps, stages File inputs from the owner's space, and renders each task's command line and outputs.
 */
@Component
class TaskPlanner {
    private final UserFiles files;
    private final JsonMapper json;

    TaskPlanner(UserFiles files, JsonMapper json) {
        this.files = files;
        this.json = json;
    }

    List<PlannedTask> plan(Application application, LaunchRequest request, Account owner) {
        JsonNode descriptor = json.readTree(application.descriptorJson());
        var problems = new ArrayList<InvalidRequestException.FieldProblem>();
        var inputs = new LinkedHashMap<String, JsonNode>();
        var known = new java.util.HashSet<String>();
        for (JsonNode input : descriptor.path("inputs")) {
            known.add(input.path("id").asString());
        }
        request.inputs().keySet().stream().filter(id -> !known.contains(id)).forEach(id -> problems.add(
                new InvalidRequestException.FieldProblem("inputs." + id, "is not an input of " + application.name()
                        + " (its inputs: " + String.join(", ", known) + ")")));
        for (JsonNode input : descriptor.path("inputs")) {
            String id = input.path("id").asString();
            JsonNode value = request.inputs().get(id);
            if (value == null || value.isNull()) {
                if (!input.path("optional").asBoolean(false) && !input.has("default-value")) {
                    problems.add(new InvalidRequestException.FieldProblem("inputs." + id,
                            "is required (" + input.path("name").asString(id) + ")"));
                }
                continue;
            }
            inputs.put(id, convert(input, value, problems));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("Invalid inputs", problems.size() + " problem(s) in the inputs of "
                    + application.name() + ": " + problems.getFirst().field() + " " + problems.getFirst().message(), problems);
        }
        var planned = new ArrayList<PlannedTask>();
        var stagedInputs = new ArrayList<TaskSpec.StagedInput>();
        String command = descriptor.path("command-line").asString();
        for (JsonNode input : descriptor.path("inputs")) {
            String id = input.path("id").asString();
            String key = input.path("value-key").asString("");
            JsonNode value = inputs.containsKey(id) ? inputs.get(id) : input.get("default-value");
            String rendered = "";
            if (value != null && !value.isNull()) {
                String text = value.isString() ? value.asString() : value.toString();
                if (input.path("type").asString().equals("File")) {
                    var path = UserPath.of(text);
                    var stored = files.stat(owner, path);
                    stagedInputs.add(new TaskSpec.StagedInput(path.name(), files.storageKey(owner, path), stored.size(), stored.sha256()));
                    text = path.name();
                }
                String flag = input.path("command-line-flag").asString("");
                rendered = (flag.isEmpty() ? "" : flag + " ") + quote(text);
            }
            if (!key.isEmpty()) {
                command = command.replace(key, rendered);
            }
        }
        var outputs = new ArrayList<TaskAssignment.OutputSpec>();
        for (JsonNode output : descriptor.path("output-files")) {
            outputs.add(new TaskAssignment.OutputSpec(output.path("id").asString(), output.path("path-template").asString(),
                    output.path("optional").asBoolean(false)));
        }
        planned.add(new PlannedTask("task-0", new TaskSpec(command.strip().replaceAll(" +", " "), stagedInputs, outputs,
                List.of(), Map.of(), null, 0, null)));
        return planned;
    }

    private static JsonNode convert(JsonNode input, JsonNode value, List<InvalidRequestException.FieldProblem> problems) {
        String id = input.path("id").asString();
        if (input.path("type").asString().equals("Number") && value.isString()) {
            try {
                return JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(value.asString().strip()));
            } catch (NumberFormatException e) {
                problems.add(new InvalidRequestException.FieldProblem("inputs." + id, "must be a number, got \"" + value.asString() + "\""));
            }
        }
        return value;
    }

    static String quote(String value) {
        if (value.matches("[A-Za-z0-9_./:=+-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
