package org.escadrille.server.execution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.montecarlo.MonteCarloRuns;
import org.escadrille.server.montecarlo.MonteCarloSpec;
import org.escadrille.server.montecarlo.MonteCarloSummary;
import org.escadrille.server.montecarlo.MonteCarloTaskSource;
import org.escadrille.server.montecarlo.Split;
import org.escadrille.server.scheduling.TaskDefinition;
import org.escadrille.server.scheduling.TaskSpec;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The engine's side of Monte-Carlo executions: reads the split from a launch, and renders each task
 * of a run (its share of events and its seed) like any other task of the application, plus how it
 * reports progress and is told to stop.
 */
@Component
class MonteCarloLaunch implements MonteCarloTaskSource {
    private final ExecutionRepository executions;
    private final Catalog catalog;
    private final TaskPlanner planner;
    private final JsonMapper json;

    MonteCarloLaunch(ExecutionRepository executions, Catalog catalog, TaskPlanner planner, JsonMapper json) {
        this.executions = executions;
        this.catalog = catalog;
        this.planner = planner;
        this.json = json;
    }

    /** The application's Monte-Carlo declaration and the split asked for; empty when it runs as ordinary tasks. */
    Optional<MonteCarloSpec> splittable(Application application, LaunchRequest request) {
        Split split = split(request);
        if (split == Split.NONE) {
            return Optional.empty();
        }
        return MonteCarloSpec.parse(Descriptor.parse(application.descriptorJson())).spec();
    }

    static Split split(LaunchRequest request) {
        if (request.split() == null || request.split().isBlank()) {
            return request.replay() != null ? Split.STATIC : Split.DYNAMIC;
        }
        Split split = Split.parse(request.split());
        if (split == null) {
            throw new InvalidRequestException("Invalid launch", "split must be dynamic, static or none, got '" + request.split() + "'",
                    List.of(new FieldProblem("split", "must be dynamic, static or none")));
        }
        return split;
    }

    /** The run's plan: total and base seed from the inputs, tasks from the request or the free slots. */
    MonteCarloRuns.Plan plan(String executionId, Application application, MonteCarloSpec spec, LaunchRequest request,
                             Account owner, String outputDir, MonteCarloRuns runs,
                             Function<String, Optional<MonteCarloSummary>> earlier) {
        var planned = planner.plan(application, request, owner);
        if (planned.size() != 1) {
            throw new InvalidRequestException("Invalid launch", application.name() + " splits one Monte-Carlo run into "
                    + "tasks itself; a sweep of it needs split 'none' (one ordinary task per point)",
                    List.of(new FieldProblem("split", "use none to sweep a Monte-Carlo application")));
        }
        Descriptor descriptor = Descriptor.parse(application.descriptorJson());
        long total = whole(request.inputs().get(spec.eventsInput()), defaultOf(descriptor, spec.eventsInput()), spec.eventsInput());
        JsonNode givenSeed = request.inputs().get(spec.seedInput());
        long seed = givenSeed == null || givenSeed.isNull()
                ? SeedDraw.draw(descriptor.input(spec.seedInput()).orElseThrow())
                : whole(givenSeed, null, spec.seedInput());
        if (total < 1) {
            throw new InvalidRequestException("Invalid inputs", spec.eventsInput() + " must be at least 1",
                    List.of(new FieldProblem("inputs." + spec.eventsInput(), "must be at least 1")));
        }
        List<long[]> replay = new ArrayList<>();
        Split split = split(request);
        if (request.replay() != null && !request.replay().isBlank()) {
            var summary = earlier.apply(request.replay()).orElseThrow(() -> new NotFoundException(
                    "no Monte-Carlo execution " + request.replay() + " (among yours) to replay"));
            summary.tasks().stream().filter(t -> t.events() > 0).forEach(t -> replay.add(new long[] {t.seed(), t.events()}));
            if (replay.isEmpty()) {
                throw new InvalidRequestException("Invalid launch", "execution " + request.replay() + " has no finished task to replay");
            }
            total = replay.stream().mapToLong(share -> share[1]).sum();
            split = Split.STATIC;
        }
        int requested = request.tasks() == null ? 0 : request.tasks();
        if (requested < 0) {
            throw new InvalidRequestException("Invalid launch", "tasks must be a positive number, got " + requested);
        }
        int tasks = runs.initialTasks(split, spec, requested);
        return new MonteCarloRuns.Plan(executionId, spec, split, total, seed, tasks, owner, outputDir,
                request.replay(), replay);
    }

    @Override
    public TaskDefinition create(String executionId, int index, long events, long seed, Split split) {
        var row = executions.find(executionId).orElseThrow(() -> new NotFoundException("no execution " + executionId));
        var application = catalog.byId(row.appId());
        var spec = MonteCarloSpec.parse(Descriptor.parse(application.descriptorJson())).spec().orElseThrow();
        var owner = new Account(row.ownerId(), row.ownerName(), Account.Role.USER);
        var inputs = new HashMap<String, JsonNode>();
        json.readTree(row.invocation()).properties().forEach(e -> inputs.put(e.getKey(), e.getValue()));
        inputs.put(spec.eventsInput(), JsonNodeFactory.instance.numberNode(events));
        inputs.put(spec.seedInput(), JsonNodeFactory.instance.numberNode(seed));
        var planned = planner.plan(application, new LaunchRequest(application.name(), application.version(), null, inputs, "cross"), owner);
        TaskSpec base = planned.getFirst().spec();
        // Checkpoints matter only where a dead task is not retried: a static share starts again from nothing.
        var progress = new TaskAssignment.ProgressSpec(spec.progressPattern(), spec.progressFile(), spec.stopFile(),
                split == Split.DYNAMIC ? spec.checkpointDir() : null);
        var taskSpec = new TaskSpec(base.commandLine(), base.inputs(), base.outputs(), base.configFiles(), base.environment(),
                base.containerImage(), base.timeLimitSeconds(), progress, split == Split.DYNAMIC ? 1 : null, base.pilotTags(),
                base.network(), base.resources());
        String label = "task-" + index + "-seed-" + seed;
        return new TaskDefinition(Ids.newId(), executionId, owner, index, label, row.outputDir() + "/partials/" + label, taskSpec,
                row.priority());
    }

    @Override
    public Optional<RunContext> reload(String executionId) {
        return executions.find(executionId).flatMap(row -> {
            var application = catalog.byId(row.appId());
            return MonteCarloSpec.parse(Descriptor.parse(application.descriptorJson())).spec()
                    .map(spec -> new RunContext(spec, new Account(row.ownerId(), row.ownerName(), Account.Role.USER),
                            row.outputDir()));
        });
    }

    private static JsonNode defaultOf(Descriptor descriptor, String inputId) {
        return descriptor.inputs().stream().filter(i -> i.id().equals(inputId)).findFirst().map(i -> i.defaultValue()).orElse(null);
    }

    private static long whole(JsonNode value, JsonNode fallback, String inputId) {
        JsonNode chosen = value != null && !value.isNull() ? value : fallback;
        if (chosen == null || chosen.isNull()) {
            return 0;
        }
        try {
            return new BigDecimal(chosen.isString() ? chosen.asString().strip() : chosen.asString()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidRequestException("Invalid inputs", inputId + " must be a whole number, got " + chosen,
                    List.of(new FieldProblem("inputs." + inputId, "must be a whole number")));
        }
    }
}
