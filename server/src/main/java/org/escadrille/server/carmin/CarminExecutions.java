package org.escadrille.server.carmin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionStatus;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.LaunchRequest;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Executions between CARMIN's shape and the engine's: a launch with VIP paths becomes the native
 * {@link LaunchRequest} (File values moved from {@code /vip/Home/…} to the caller's space, a list still
 * a sweep), and an execution's view becomes CARMIN's.
 */
@Component
class CarminExecutions {
    private final ExecutionService executions;
    private final CarminPipelines pipelines;
    private final UserFiles files;
    /**
     * Which inputs are files, by descriptor digest (a published descriptor never changes): a client polling
     * hundreds of executions costs no catalogue read and no descriptor parse per answer.
     */
    private final Cache<String, Set<String>> fileInputsByDigest = Caffeine.newBuilder().maximumSize(1000).build();

    CarminExecutions(ExecutionService executions, CarminPipelines pipelines, UserFiles files) {
        this.executions = executions;
        this.pipelines = pipelines;
        this.files = files;
    }

    CarminExecution launch(Account caller, CarminExecution request) {
        if (request == null) {
            throw new InvalidRequestException("Invalid execution", "send an Execution: name, pipelineIdentifier, inputValues");
        }
        if (request.pipelineIdentifier() == null || request.pipelineIdentifier().isBlank()) {
            throw new InvalidRequestException("Invalid execution", "name the pipeline to run in pipelineIdentifier, as "
                    + "name/version (GET /rest/pipelines lists them)",
                    List.of(new InvalidRequestException.FieldProblem("pipelineIdentifier", "is required")));
        }
        refuseTimeout(request.timeout());
        var application = pipelines.application(request.pipelineIdentifier(), caller);
        Set<String> fileInputs = fileInputs(pipelines.descriptor(request.pipelineIdentifier(), caller));
        var inputs = new LinkedHashMap<String, JsonNode>();
        var given = request.inputValues() == null ? Map.<String, JsonNode>of() : request.inputValues();
        given.forEach((id, value) -> inputs.put(id, fileInputs.contains(id) ? toUser(id, value) : value));
        // no resultsLocation: the native API's executions folder
        UserPath outputParent = request.resultsLocation() == null || request.resultsLocation().isBlank()
                ? UserPath.of("executions") : VipPaths.toUser(request.resultsLocation(), "resultsLocation");
        // a folder of a group the caller is not in is not found now, rather than failing the tasks at their end
        files.requireReachable(caller, outputParent);
        var launched = executions.launch(caller, new LaunchRequest(application.name(), application.version(),
                request.name(), inputs, null), outputParent);
        return carmin(launched);
    }

    static void refuseTimeout(Long timeout) {
        if (timeout != null && timeout != 0) {
            throw new InvalidRequestException("Unsupported timeout", "this platform has no execution timeout: leave "
                    + "timeout out (or 0) and kill or delete the execution when you want it ended",
                    List.of(new InvalidRequestException.FieldProblem("timeout", "must be absent or 0")));
        }
    }

    CarminExecution carmin(ExecutionView view) {
        Set<String> known = fileInputsByDigest.get(view.digest(), digest -> {
            try {
                return fileInputs(pipelines.descriptorRanBy(view.app(), view.appVersion()));
            } catch (NotFoundException withdrawn) {
                return null; // not remembered: it may be published again
            }
        });
        // an application that left the catalogue since: its values are shown as they were stored
        Set<String> fileInputs = known == null ? Set.of() : known;
        var inputValues = new LinkedHashMap<String, JsonNode>();
        for (var input : view.inputs().properties()) {
            inputValues.put(input.getKey(), fileInputs.contains(input.getKey()) ? toVip(input.getValue()) : input.getValue());
        }
        var returned = new LinkedHashMap<String, List<String>>();
        for (var output : view.outputs()) {
            returned.computeIfAbsent(output.outputId() == null ? "output" : output.outputId(), id -> new ArrayList<>())
                    .add(VipPaths.toVip(output.path()));
        }
        String resultsLocation = view.outputDir() == null ? null : VipPaths.toVip(UserPath.of(view.outputDir()).parent());
        var started = view.startedAt() != null ? view.startedAt() : view.createdAt();
        return new CarminExecution(view.id(), view.name(), CarminPipelines.identifier(view.app(), view.appVersion()), null,
                status(view.status()), inputValues, returned, null, null, started.toEpochMilli(),
                view.endedAt() == null ? null : view.endedAt().toEpochMilli(), resultsLocation);
    }

    /**
     * CARMIN's {@code Ready} is an execution initialised and waiting for {@code play}; ours never wait for
     * play: one whose tasks are queued is {@code Running}, as a VIP workflow is from its launch (VIP's
     * client stops watching an execution that is not Running).
     */
    static String status(ExecutionStatus status) {
        return status == ExecutionStatus.Ready ? ExecutionStatus.Running.name() : status.name();
    }

    private static Set<String> fileInputs(JsonNode descriptor) {
        var ids = new HashSet<String>();
        for (JsonNode input : descriptor.path("inputs")) {
            if ("File".equals(input.path("type").asString(""))) {
                ids.add(input.path("id").asString());
            }
        }
        return ids;
    }

    private static JsonNode toUser(String id, JsonNode value) {
        if (value.isArray()) {
            ArrayNode converted = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> converted.add(toUser(id, item)));
            return converted;
        }
        if (!value.isString()) {
            return value;
        }
        return JsonNodeFactory.instance.stringNode(VipPaths.toUser(value.asString(), "inputValues." + id).value());
    }

    private static JsonNode toVip(JsonNode value) {
        if (value.isArray()) {
            ArrayNode converted = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> converted.add(toVip(item)));
            return converted;
        }
        return value.isString() ? JsonNodeFactory.instance.stringNode(VipPaths.toVip(value.asString())) : value;
    }
}
