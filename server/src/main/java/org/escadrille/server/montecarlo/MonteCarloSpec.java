package org.escadrille.server.montecarlo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.escadrille.boutiques.InputType;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import tools.jackson.databind.JsonNode;

/**
 * How a tool takes part in dynamic Monte-Carlo splitting, declared in its descriptor's {@code custom}
 * section under {@value #KEY} (format: docs/monte-carlo.md): which input holds the total number of
 * events and which the seed, how it reports progress, how it is told to stop, and how each output's
 * partial results merge.
 *
 * @param progressFile a file whose last line the pattern matches, or null for stdout lines
 * @param stopFile     a file the pilot creates to ask the tool to stop, or null for SIGTERM
 * @param maxTasks     at most this many tasks at once (0: the available slots decide)
 * @param checkpointDir where the tool writes complete partial results of E events now and then
 *                     ({@code <dir>/<E>/}), or null: with it, a task that dies keeps its newest checkpoint
 */
public record MonteCarloSpec(String eventsInput, String seedInput, String progressPattern, String progressFile,
                             String stopFile, Map<String, MergeSpec> merge, int maxTasks, String checkpointDir) {
    public static final String KEY = "escadrille:monte-carlo";
    private static final String AT = "custom." + KEY;

    /** How one output's partial results merge: a built-in method, and derived fields (json-sum). */
    public record MergeSpec(MergeMethod method, Map<String, Expression> derive, int keyColumns) {
    }

    /** The built-in mergers. */
    public enum MergeMethod {
        /** Sum of the numeric fields of JSON objects; other fields from the first part. */
        JSON_SUM("json-sum"),
        /** Bin-wise sum of CSV tables (histograms): key columns must agree, the others are summed. */
        CSV_SUM("csv-sum"),
        /** The parts one after the other, in task order. */
        CONCAT("concat");

        private final String jsonName;

        MergeMethod(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }

        static Optional<MergeMethod> parse(String name) {
            for (MergeMethod method : values()) {
                if (method.jsonName.equals(name)) {
                    return Optional.of(method);
                }
            }
            return Optional.empty();
        }
    }

    /** The tool's Monte-Carlo declaration, if it has one; the problems of a malformed one, each naming its field. */
    public static Parsed parse(Descriptor descriptor) {
        JsonNode custom = descriptor.custom();
        if (custom == null || !custom.has(KEY)) {
            return new Parsed(Optional.empty(), List.of());
        }
        var problems = new ArrayList<FieldProblem>();
        JsonNode section = custom.get(KEY);
        if (!section.isObject()) {
            problems.add(new FieldProblem(AT, "must be an object with events-input, seed-input, progress-pattern and merge"));
            return new Parsed(Optional.empty(), problems);
        }
        for (var name : section.propertyNames()) {
            if (!List.of("events-input", "seed-input", "progress-pattern", "progress-file", "stop-file", "merge", "max-tasks",
                    "checkpoint-dir")
                    .contains(name)) {
                problems.add(new FieldProblem(AT + "." + name, "is not a field of the Monte-Carlo section (see docs/monte-carlo.md)"));
            }
        }
        String events = numberInput(descriptor, section, "events-input", problems);
        String seed = numberInput(descriptor, section, "seed-input", problems);
        String pattern = text(section, "progress-pattern", true, problems);
        if (pattern != null) {
            try {
                if (Pattern.compile(pattern).matcher("").groupCount() < 1) {
                    problems.add(new FieldProblem(AT + ".progress-pattern", "needs a group capturing the number of events, e.g. ^events: (\\d+)$"));
                }
            } catch (PatternSyntaxException e) {
                problems.add(new FieldProblem(AT + ".progress-pattern", "is not a valid regular expression: " + e.getDescription()));
            }
        }
        String progressFile = relativePath(section, "progress-file", problems);
        String stopFile = relativePath(section, "stop-file", problems);
        String checkpointDir = relativePath(section, "checkpoint-dir", problems);
        var merge = merge(descriptor, section.get("merge"), problems);
        int maxTasks = 0;
        if (section.has("max-tasks")) {
            JsonNode max = section.get("max-tasks");
            if (!max.isIntegralNumber() || max.asInt() < 1) {
                problems.add(new FieldProblem(AT + ".max-tasks", "must be a whole number of at least 1, got " + max));
            } else {
                maxTasks = max.asInt();
            }
        }
        if (!problems.isEmpty()) {
            return new Parsed(Optional.empty(), problems);
        }
        return new Parsed(Optional.of(new MonteCarloSpec(events, seed, pattern, progressFile, stopFile, merge, maxTasks,
                checkpointDir)), List.of());
    }

    /** The outcome of {@link #parse}: a spec, or the problems of the section (both empty: no Monte-Carlo). */
    public record Parsed(Optional<MonteCarloSpec> spec, List<FieldProblem> problems) {
    }

    private static String numberInput(Descriptor descriptor, JsonNode section, String field, List<FieldProblem> problems) {
        String id = text(section, field, true, problems);
        if (id == null) {
            return null;
        }
        Input input = descriptor.inputs().stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
        if (input == null) {
            problems.add(new FieldProblem(AT + "." + field, "names no input of the descriptor: " + id));
        } else if (input.type() != InputType.NUMBER || input.list()) {
            problems.add(new FieldProblem(AT + "." + field, "must name a Number input that is not a list; " + id
                    + " is a " + (input.list() ? "list of " : "") + input.type().jsonName()));
        }
        return id;
    }

    private static String text(JsonNode section, String field, boolean required, List<FieldProblem> problems) {
        JsonNode value = section.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(new FieldProblem(AT + "." + field, "is required"));
            }
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            problems.add(new FieldProblem(AT + "." + field, "must be a non-empty string, got " + value));
            return null;
        }
        return value.asString();
    }

    private static String relativePath(JsonNode section, String field, List<FieldProblem> problems) {
        String path = text(section, field, false, problems);
        if (path != null && (path.startsWith("/") || List.of(path.split("/")).contains(".."))) {
            problems.add(new FieldProblem(AT + "." + field, "must be a path inside the task's working directory, got " + path));
            return null;
        }
        return path;
    }

    private static Map<String, MergeSpec> merge(Descriptor descriptor, JsonNode merge, List<FieldProblem> problems) {
        var specs = new LinkedHashMap<String, MergeSpec>();
        if (merge == null || !merge.isObject() || merge.isEmpty()) {
            problems.add(new FieldProblem(AT + ".merge", "is required: an object from output-file id to "
                    + "{\"method\": \"json-sum\" | \"csv-sum\" | \"concat\"}"));
            return specs;
        }
        for (var entry : merge.properties()) {
            String output = entry.getKey();
            String at = AT + ".merge." + output;
            if (descriptor.outputFiles().stream().noneMatch(o -> o.id().equals(output))) {
                problems.add(new FieldProblem(at, "names no output-file of the descriptor"));
                continue;
            }
            JsonNode spec = entry.getValue();
            var method = spec.isObject() && spec.path("method").isString()
                    ? MergeMethod.parse(spec.path("method").asString()) : Optional.<MergeMethod>empty();
            if (method.isEmpty()) {
                problems.add(new FieldProblem(at + ".method", "must be json-sum, csv-sum or concat, got " + spec.path("method")));
                continue;
            }
            var derive = new LinkedHashMap<String, Expression>();
            JsonNode derived = spec.get("derive");
            if (derived != null) {
                if (!derived.isObject() || method.get() != MergeMethod.JSON_SUM) {
                    problems.add(new FieldProblem(at + ".derive", "is an object of field -> expression, for json-sum only"));
                } else {
                    for (var field : derived.properties()) {
                        try {
                            derive.put(field.getKey(), Expression.parse(field.getValue().asString("")));
                        } catch (IllegalArgumentException e) {
                            problems.add(new FieldProblem(at + ".derive." + field.getKey(), e.getMessage()));
                        }
                    }
                }
            }
            int keyColumns = spec.path("key-columns").asInt(1);
            if (spec.has("key-columns") && (!spec.get("key-columns").isIntegralNumber() || keyColumns < 0)) {
                problems.add(new FieldProblem(at + ".key-columns", "must be a whole number of at least 0"));
            }
            specs.put(output, new MergeSpec(method.get(), derive, keyColumns));
        }
        return specs;
    }
}
