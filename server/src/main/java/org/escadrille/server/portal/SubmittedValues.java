package org.escadrille.server.portal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Group;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InputType;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.execution.LaunchRequest;
import org.escadrille.server.montecarlo.MonteCarloSpec;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What a launch form holds, exactly as typed: per input, one value ({@code in.<id>}) and values one per
 * line ({@code lines.<id>}: a sweep, or a list input's list); plus the execution's name, the application's
 * version, the iteration strategy and, for a Monte-Carlo application, its split and first task count;
 * whether every task must run even where the task cache has its outputs ({@code no-cache}).
 * Turned into a {@link LaunchRequest} whose strings the server converts to the descriptor's types;
 * re-shown unchanged when the launch is refused.
 */
record SubmittedValues(String name, String version, String iterate, String split, String tasks, Map<String, String> values,
                       Map<String, String> lines, boolean noCache) {
    static final String VALUE = "in.";
    static final String LINES = "lines.";

    SubmittedValues {
        name = name == null ? "" : name;
        version = version == null ? "" : version;
        iterate = "dot".equals(iterate) ? "dot" : "cross";
        split = split == null ? "" : split;
        tasks = tasks == null ? "" : tasks;
        values = Map.copyOf(values);
        lines = Map.copyOf(lines);
    }

    static SubmittedValues empty(String version) {
        return new SubmittedValues("", version, "cross", "", "", Map.of(), Map.of(), false);
    }

    static SubmittedValues from(MultiValueMap<String, String> form) {
        var values = new LinkedHashMap<String, String>();
        var sweeps = new LinkedHashMap<String, String>();
        form.forEach((key, texts) -> {
            String text = texts.isEmpty() ? "" : texts.getLast();
            if (key.startsWith(VALUE)) {
                values.put(key.substring(VALUE.length()), text);
            } else if (key.startsWith(LINES)) {
                sweeps.put(key.substring(LINES.length()), text);
            }
        });
        return new SubmittedValues(form.getFirst("name"), form.getFirst("version"), form.getFirst("iterate"),
                form.getFirst("split"), form.getFirst("tasks"), values, sweeps, form.containsKey("no-cache"));
    }

    /** The form as an earlier launch filled it (re-run with changes): one value, or a sweep's values one per line. */
    static SubmittedValues of(String name, String version, String iterate, String split, JsonNode inputs,
                              Descriptor descriptor) {
        var values = new LinkedHashMap<String, String>();
        var sweeps = new LinkedHashMap<String, String>();
        for (Input input : descriptor.inputs()) {
            JsonNode value = inputs == null ? null : inputs.get(input.id());
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                var lines = new ArrayList<String>();
                value.forEach(item -> lines.add(text(item)));
                sweeps.put(input.id(), String.join("\n", lines));
            } else {
                values.put(input.id(), text(value));
            }
        }
        return new SubmittedValues(name, version, iterate, split, "", values, sweeps, false);
    }

    String value(String id) {
        return values.getOrDefault(id, "");
    }

    String lines(String id) {
        return lines.getOrDefault(id, "");
    }

    /**
     * The launch request, as the API's JSON document (what any client would send), so that the server
     * converts and checks it as it does for every client. What cannot be asked of the server (one value
     * and a sweep for the same input; a group's rule broken) is refused here, with the same exception.
     * A Monte-Carlo application given several values for an input runs one ordinary task per value
     * (split {@code none}) unless the form says otherwise.
     */
    LaunchRequest toRequest(String app, Descriptor descriptor, JsonMapper json) {
        var request = JsonNodeFactory.instance.objectNode();
        var inputs = request.putObject("inputs");
        var problems = new ArrayList<FieldProblem>();
        boolean swept = false;
        for (Input input : descriptor.inputs()) {
            String one = value(input.id());
            List<String> several = nonBlankLines(lines(input.id()));
            if (input.type() == InputType.FLAG && !input.list()) {
                if (!one.isBlank() || !input.optional()) {
                    inputs.put(input.id(), one.isBlank() ? "false" : one.strip());
                }
            } else if (!several.isEmpty()) {
                if (!one.isBlank()) {
                    problems.add(new FieldProblem("inputs." + input.id(),
                            "give either one value or several (one per line), not both"));
                }
                var array = inputs.putArray(input.id());
                several.forEach(array::add);
                swept |= !input.list();
            } else if (!one.isBlank()) {
                inputs.put(input.id(), input.type() == InputType.STRING ? one : one.strip());
            }
        }
        problems.addAll(groupProblems(descriptor));
        request.put("app", app);
        if (!version.isBlank()) {
            request.put("version", version);
        }
        if (!name.isBlank()) {
            request.put("name", name.strip());
        }
        request.put("iterate", iterate);
        if (!split.isBlank()) {
            request.put("split", split);
        } else if (swept && isMonteCarlo(descriptor)) {
            request.put("split", "none");
        }
        if (!tasks.isBlank()) {
            if (tasks.strip().matches("\\d{1,6}")) {
                request.put("tasks", Integer.parseInt(tasks.strip()));
            } else {
                problems.add(new FieldProblem("tasks", "must be a whole number of tasks, got \"" + tasks.strip() + "\""));
            }
        }
        if (noCache) {
            request.put("cache", false);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("Invalid inputs", problems.size() + " problem(s) in the form", problems);
        }
        return json.treeToValue(request, LaunchRequest.class);
    }

    /** Whether the application declares how to split a run of it (custom {@value MonteCarloSpec#KEY}). */
    static boolean isMonteCarlo(Descriptor descriptor) {
        return descriptor.custom() != null && descriptor.custom().has(MonteCarloSpec.KEY);
    }

    /**
     * The groups' rules, checked on the form so that the messages name the inputs as the form shows
     * them (the server checks them again, as for any client).
     */
    private List<FieldProblem> groupProblems(Descriptor descriptor) {
        var problems = new ArrayList<FieldProblem>();
        for (Group group : descriptor.groups()) {
            var members = group.members().stream().map(descriptor::input).flatMap(Optional::stream).toList();
            long given = members.stream().filter(this::isGiven).count();
            String names = members.stream().map(Input::name).collect(Collectors.joining(", "));
            String field = "groups." + group.id();
            if (group.mutuallyExclusive() && given > 1) {
                problems.add(new FieldProblem(field, "give only one of " + names + " (" + given + " are filled in)"));
            }
            if (group.oneIsRequired() && given == 0) {
                problems.add(new FieldProblem(field, "give at least one of " + names));
            }
            if (group.allOrNone() && given > 0 && given < members.size()) {
                problems.add(new FieldProblem(field, "give all of " + names + ", or none of them"));
            }
        }
        return problems;
    }

    private boolean isGiven(Input input) {
        String one = value(input.id()).strip();
        if (input.type() == InputType.FLAG && !input.list()) {
            return one.equalsIgnoreCase("true") || one.equalsIgnoreCase("on");
        }
        return !one.isEmpty() || !nonBlankLines(lines(input.id())).isEmpty();
    }

    private static List<String> nonBlankLines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asString() : value.toString();
    }
}
