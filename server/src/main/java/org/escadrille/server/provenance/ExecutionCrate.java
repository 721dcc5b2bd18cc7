package org.escadrille.server.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import edu.kit.datamanager.ro_crate.RoCrate;
import edu.kit.datamanager.ro_crate.entities.contextual.ContextualEntity;
import edu.kit.datamanager.ro_crate.entities.data.FileEntity;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.TaskView;
import org.escadrille.server.montecarlo.MonteCarloSummary;

/**
 * Builds the RO-Crate of an ended execution (Process Run Crate 0.5): the root dataset conforming to the
 * profile, the application as a {@code SoftwareApplication} with its Boutiques descriptor (a file,
 * identified by its SHA-256), one {@code CreateAction} per task (its command line, inputs as
 * {@code object}, outputs as {@code result}, seed and events of a Monte-Carlo share), one
 * {@code Action} per attempt (host, site, times, resources, footprint), and Escadrille itself as the
 * {@code OrganizeAction} that ran them, with the invocation's values as {@code PropertyValue}s.
 */
final class ExecutionCrate {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExecutionCrate() {
    }

    static RoCrate of(CrateFacts facts) {
        var execution = facts.execution();
        var builder = new RoCrate.RoCrateBuilder(execution.name(), "Execution " + execution.id() + " of "
                + execution.app() + " " + execution.appVersion() + " on Escadrille " + facts.escadrilleVersion());
        CrateTerms.CONTEXT.forEach(builder::addValuePairToContext);

        builder.addDataEntity(new FileEntity.FileEntityBuilder().setId(CrateTerms.DESCRIPTOR)
                .addProperty("name", "Boutiques descriptor of " + execution.app() + " " + execution.appVersion())
                .addProperty("encodingFormat", "application/json")
                .addProperty("sha256", Sha256.of(facts.application().descriptorJson()))
                .addProperty("contentSize", Integer.toString(facts.application().descriptorJson().getBytes(StandardCharsets.UTF_8).length))
                .build());
        builder.addDataEntity(new FileEntity.FileEntityBuilder().setId(CrateTerms.INVOCATION)
                .addProperty("name", "The input values of the launch (a Boutiques invocation; a list is a sweep)")
                .addProperty("encodingFormat", "application/json").build());

        var descriptor = Descriptor.parse(facts.application().descriptorJson());
        var application = new ContextualEntity.ContextualEntityBuilder().setId(CrateTerms.APPLICATION)
                .addType("SoftwareApplication").addProperty("name", execution.app())
                .addProperty("softwareVersion", execution.appVersion())
                .addProperty("identifier", "sha256:" + execution.digest())
                .addIdProperty("subjectOf", CrateTerms.DESCRIPTOR);
        if (descriptor.description() != null) {
            application.addProperty("description", descriptor.description());
        }
        builder.addContextualEntity(application.build());
        String image = descriptor.containerImage() == null ? null : descriptor.containerImage().image();
        if (image != null) {
            builder.addContextualEntity(containerImage(image, descriptor.containerImage().type()));
        }
        builder.addContextualEntity(new ContextualEntity.ContextualEntityBuilder().setId(CrateTerms.ESCADRILLE)
                .addType("SoftwareApplication").addProperty("name", "Escadrille")
                .addProperty("softwareVersion", facts.escadrilleVersion()).build());

        var inputIds = new HashMap<String, String>();
        for (var input : facts.inputs()) {
            String id = idOf("inputs/" + input.path());
            inputIds.put(input.path(), id);
            builder.addDataEntity(new FileEntity.FileEntityBuilder().setId(id).addProperty("name", input.path())
                    .addProperty("userPath", input.path()).addProperty("contentSize", Long.toString(input.size()))
                    .addProperty("sha256", input.sha256()).addProperty("embedded", false)
                    .addProperty("changedAfterLaunch", input.changedAfterLaunch()).build());
        }
        var outputsByTask = new HashMap<String, List<String>>();
        var merged = new ArrayList<String>();
        for (var output : execution.outputs()) {
            String id = idOf(entryName(execution, output));
            builder.addDataEntity(new FileEntity.FileEntityBuilder().setId(id).addProperty("name", output.outputId())
                    .addProperty("userPath", output.path()).addProperty("contentSize", Long.toString(output.size()))
                    .addProperty("sha256", output.sha256())
                    .addProperty("embedded", facts.embedded().contains(output.path())).build());
            if (output.merged()) {
                merged.add(id);
            } else if (output.taskId() != null) {
                outputsByTask.computeIfAbsent(output.taskId(), k -> new ArrayList<>()).add(id);
            }
        }

        var parameters = new ArrayList<String>();
        execution.inputs().properties().forEach(entry -> {
            String id = "#input-" + entry.getKey();
            parameters.add(id);
            builder.addContextualEntity(new ContextualEntity.ContextualEntityBuilder().setId(id).addType("PropertyValue")
                    .addProperty("name", entry.getKey()).addProperty("value", fromJson(entry.getValue().toString())).build());
        });

        var shares = new HashMap<String, MonteCarloSummary.TaskShare>();
        if (execution.monteCarlo() != null) {
            execution.monteCarlo().tasks().forEach(share -> shares.put(share.taskId(), share));
        }
        var actions = new ArrayList<String>();
        for (TaskView task : facts.tasks()) {
            String id = "#task-" + task.id();
            actions.add(id);
            var action = new ContextualEntity.ContextualEntityBuilder().setId(id).addType("CreateAction")
                    .addProperty("name", task.label()).addProperty("taskIndex", task.index())
                    .addProperty("commandLine", task.commandLine()).addIdProperty("instrument", CrateTerms.APPLICATION)
                    .addProperty("actionStatus", "http://schema.org/" + (succeeded(task.status())
                            ? "CompletedActionStatus" : "FailedActionStatus"));
            if (image != null) {
                action.addIdProperty("containerImage", CrateTerms.CONTAINER);
            }
            var last = task.attempts().isEmpty() ? null : task.attempts().getLast();
            if (last != null && last.startedAt() != null) {
                action.addProperty("startTime", last.startedAt().toString());
            }
            if (last != null && last.endedAt() != null) {
                action.addProperty("endTime", last.endedAt().toString());
            }
            var share = shares.get(task.id());
            if (share != null) {
                action.addProperty("seed", NODES.numberNode(share.seed())).addProperty("events", NODES.numberNode(share.events()));
            }
            // its object: the launch's values (Process Run Crate's parameters) and the input files it staged
            var objects = new ArrayList<String>(parameters);
            inputIds.forEach((path, inputId) -> {
                if (task.commandLine().contains(path.substring(path.lastIndexOf('/') + 1))) {
                    objects.add(inputId);
                }
            });
            var entity = action.build();
            entity.addIdListProperties("object", objects);
            entity.addIdListProperties("result", outputsByTask.getOrDefault(task.id(), List.of()));
            var attempts = new ArrayList<String>();
            int n = 0;
            for (var attempt : task.attempts()) {
                n++;
                attempts.add("#attempt-" + attempt.id());
                builder.addContextualEntity(attempt(attempt, n, task.label(), facts.attemptSites().get(attempt.id())));
            }
            entity.addIdListProperties("attempt", attempts);
            builder.addContextualEntity(entity);
        }
        if (!merged.isEmpty()) {
            // The merge of a Monte-Carlo run's partial results is Escadrille's own work, not the tool's.
            var merge = new ContextualEntity.ContextualEntityBuilder().setId("#merge").addType("CreateAction")
                    .addProperty("name", "merge of the partial results").addIdProperty("instrument", CrateTerms.ESCADRILLE)
                    .addProperty("actionStatus", "http://schema.org/CompletedActionStatus").build();
            merge.addIdListProperties("object", outputsByTask.values().stream().flatMap(List::stream).toList());
            merge.addIdListProperties("result", merged);
            builder.addContextualEntity(merge);
            actions.add("#merge");
        }
        builder.addContextualEntity(orchestration(facts, actions, parameters));

        var crate = builder.build();
        var root = crate.getRootDataEntity();
        root.addProperty("conformsTo", NODES.arrayNode().add(NODES.objectNode().put("@id", CrateTerms.PROCESS_RUN_CRATE)));
        root.addProperty("identifier", execution.id());
        if (execution.endedAt() != null) {
            root.addProperty("datePublished", execution.endedAt().toString());
        }
        root.addProperty("iterate", execution.iterate());
        if (execution.monteCarlo() != null) {
            root.addProperty("split", execution.monteCarlo().split());
            root.addProperty("totalEvents", NODES.numberNode(execution.monteCarlo().totalEvents()));
        }
        var mentions = new ArrayList<>(actions);
        mentions.add("#run-" + execution.id());
        root.addIdListProperties("mentions", mentions);
        return crate;
    }

    /**
     * The {@code @id} of a file of the crate: its path as a relative URI (RO-Crate 1.1 §"Data entities"),
     * so a space or a {@code %} in a name is percent-encoded; the ZIP entry keeps the plain path.
     */
    static String idOf(String path) {
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no URI for " + path, e);
        }
    }

    /** The name in the ZIP of an output: its path inside the execution's folder, under outputs/. */
    static String entryName(ExecutionView execution, ExecutionView.OutputView output) {
        String prefix = execution.outputDir() + "/";
        String relative = output.path().startsWith(prefix) ? output.path().substring(prefix.length()) : output.path();
        return "outputs/" + relative;
    }

    private static ContextualEntity orchestration(CrateFacts facts, List<String> actions, List<String> parameters) {
        var execution = facts.execution();
        var run = new ContextualEntity.ContextualEntityBuilder().setId("#run-" + execution.id()).addType("OrganizeAction")
                .addProperty("name", "Escadrille execution " + execution.id()).addIdProperty("instrument", CrateTerms.ESCADRILLE)
                .addProperty("actionStatus", "http://schema.org/" + (execution.status().name().equals("Finished")
                        ? "CompletedActionStatus" : "FailedActionStatus"))
                .addProperty("description", "status " + execution.status());
        if (execution.startedAt() != null) {
            run.addProperty("startTime", execution.startedAt().toString());
        }
        if (execution.endedAt() != null) {
            run.addProperty("endTime", execution.endedAt().toString());
        }
        if (execution.footprint() != null) {
            run.addProperty("energyWh", execution.footprint().energyWh())
                    .addProperty("carbonGrams", execution.footprint().carbonGrams())
                    .addProperty("wastedShare", execution.footprint().wastedShare());
        }
        var entity = run.build();
        var objects = new ArrayList<String>(parameters);
        objects.add(CrateTerms.INVOCATION);
        entity.addIdListProperties("object", objects);
        entity.addIdListProperties("result", actions);
        return entity;
    }

    private static ContextualEntity attempt(TaskView.AttemptView attempt, int n, String label, String site) {
        var entity = new ContextualEntity.ContextualEntityBuilder().setId("#attempt-" + attempt.id()).addType("Action")
                .addProperty("name", "attempt " + n + " of " + label)
                .addProperty("actionStatus", "http://schema.org/" + (succeeded(attempt.status())
                        ? "CompletedActionStatus" : "FailedActionStatus"))
                .addProperty("description", "status " + attempt.status());
        put(entity, "host", attempt.host());
        put(entity, "site", site);
        put(entity, "pilot", attempt.pilotId());
        put(entity, "startTime", attempt.startedAt());
        put(entity, "endTime", attempt.endedAt());
        if (attempt.exitCode() != null) {
            entity.addProperty("exitCode", attempt.exitCode());
        }
        if (attempt.cpuSeconds() != null) {
            entity.addProperty("cpuSeconds", attempt.cpuSeconds());
        }
        if (attempt.wallSeconds() != null) {
            entity.addProperty("wallSeconds", attempt.wallSeconds());
        }
        if (attempt.peakRssKb() != null) {
            entity.addProperty("peakMemoryBytes", NODES.numberNode(attempt.peakRssKb() * 1024));
        }
        if (attempt.events() != null) {
            entity.addProperty("events", NODES.numberNode(attempt.events()));
        }
        if (attempt.footprint() != null) {
            entity.addProperty("energyWh", attempt.footprint().energyWh())
                    .addProperty("carbonGrams", attempt.footprint().carbonGrams())
                    .addProperty("wasted", attempt.footprint().wasted());
        }
        if (attempt.message() != null) {
            entity.addProperty("error", attempt.message());
        }
        return entity.build();
    }

    private static ContextualEntity containerImage(String image, String runtime) {
        var entity = new ContextualEntity.ContextualEntityBuilder().setId(CrateTerms.CONTAINER).addType("ContainerImage")
                .addProperty("name", image);
        int slash = image.indexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon > slash && colon > 0) {
            entity.addProperty("tag", image.substring(colon + 1));
        }
        if (slash > 0 && (image.substring(0, slash).contains(".") || image.substring(0, slash).contains(":"))) {
            entity.addProperty("registry", image.substring(0, slash));
        }
        if (runtime != null) {
            entity.addProperty("additionalType", runtime);
        }
        return entity.build();
    }

    private static void put(ContextualEntity.ContextualEntityBuilder entity, String name, Object value) {
        if (value != null) {
            entity.addProperty(name, value instanceof Instant instant ? instant.toString() : value.toString());
        }
    }

    private static boolean succeeded(String status) {
        return "SUCCEEDED".equals(status) || "STOPPED".equals(status);
    }

    static JsonNode fromJson(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    /** The JSON-LD indented, for the people who open the crate. */
    static String pretty(String json) {
        return fromJson(json).toPrettyString();
    }
}
