package org.escadrille.server.execution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bounds of {@code escadrille.limits} on a launch, checked before anything is planned or
 * inserted: a million-task split or a 50 MB value once kept a thread busy for minutes and every
 * later listing of its owner's executions at 50 MB (issue 19). Each refusal says the limit and the
 * setting that raises it, next to the field it concerns.
 */
@Component
class LaunchLimits {
    /** The executions table's column; not a setting. */
    static final int NAME_CHARS = 200;

    private final EscadrilleProperties.Limits limits;
    private final JsonMapper json;

    LaunchLimits(EscadrilleProperties properties, JsonMapper json) {
        this.limits = properties.limits();
        this.json = json;
    }

    /** Checks what the request itself says: its name, its values, the tasks it asks for and its sweep's size. */
    void check(LaunchRequest request) {
        var problems = new ArrayList<FieldProblem>();
        if (request.name() != null && request.name().strip().length() > NAME_CHARS) {
            problems.add(new FieldProblem("name", "is " + request.name().strip().length() + " characters long; at most "
                    + NAME_CHARS + " are allowed"));
        }
        long invocationBytes = bytes(request.inputs());
        if (invocationBytes > limits.invocationBytes()) {
            problems.add(new FieldProblem("inputs", "take " + invocationBytes + " bytes of JSON; at most "
                    + limits.invocationBytes() + " are allowed (escadrille.limits.invocation-bytes)"));
        }
        request.inputs().forEach((id, value) -> checkValue(id, value, problems));
        if (request.tasks() != null && request.tasks() > Math.min(limits.monteCarloTasks(), limits.tasksPerLaunch())) {
            boolean monteCarlo = limits.monteCarloTasks() <= limits.tasksPerLaunch();
            problems.add(new FieldProblem("tasks", "asks for " + request.tasks() + " tasks; at most "
                    + Math.min(limits.monteCarloTasks(), limits.tasksPerLaunch()) + " are allowed ("
                    + (monteCarlo ? "escadrille.limits.monte-carlo-tasks" : "escadrille.limits.tasks-per-launch") + ")"));
        }
        long points = sweepPoints(request);
        if (points > limits.tasksPerLaunch()) {
            problems.add(new FieldProblem(largestSweep(request), "the sweep would make " + points + " tasks; at most "
                    + limits.tasksPerLaunch() + " are allowed in one launch (escadrille.limits.tasks-per-launch)"));
        }
        if (!problems.isEmpty()) {
            throw refused(problems);
        }
    }

    /** Checks the planned task count, which a File input given a directory may make larger than the request says. */
    void checkPlanned(int tasks) {
        if (tasks > limits.tasksPerLaunch()) {
            throw refused(List.of(new FieldProblem("inputs", "the launch would make " + tasks + " tasks; at most "
                    + limits.tasksPerLaunch() + " are allowed in one launch (escadrille.limits.tasks-per-launch)")));
        }
    }

    private void checkValue(String id, JsonNode value, List<FieldProblem> problems) {
        if (value == null) {
            return;
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (bytes(item) > limits.valueBytes()) {
                    problems.add(tooLarge(id, bytes(item)));
                    return;
                }
            }
        } else if (bytes(value) > limits.valueBytes()) {
            problems.add(tooLarge(id, bytes(value)));
        }
    }

    private FieldProblem tooLarge(String id, long bytes) {
        return new FieldProblem("inputs." + id, "a value takes " + bytes + " bytes; at most " + limits.valueBytes()
                + " are allowed (escadrille.limits.value-bytes); pass large data as a file");
    }

    /** Tasks the sweep makes: the product of the list lengths (cross) or the longest list (dot); saturates. */
    static long sweepPoints(LaunchRequest request) {
        boolean dot = "dot".equals(request.iterate());
        long points = 1;
        for (JsonNode value : request.inputs().values()) {
            if (value != null && value.isArray() && !value.isEmpty()) {
                points = dot ? Math.max(points, value.size()) : saturatedProduct(points, value.size());
            }
        }
        return points;
    }

    private static long saturatedProduct(long a, long b) {
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static String largestSweep(LaunchRequest request) {
        return request.inputs().entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().isArray())
                .max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(e -> "inputs." + e.getKey()).orElse("inputs");
    }

    private long bytes(Object value) {
        return json.writeValueAsBytes(value).length;
    }

    private static InvalidRequestException refused(List<FieldProblem> problems) {
        var first = problems.getFirst();
        return new InvalidRequestException("Launch over a limit", first.field() + " " + first.message(), problems);
    }
}
