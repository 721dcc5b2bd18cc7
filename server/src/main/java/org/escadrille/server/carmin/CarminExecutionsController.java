package org.escadrille.server.carmin;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.execution.ExecutionDeletion;
import org.escadrille.server.execution.ExecutionFilter;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.scheduling.LogStore;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Executions: list (newest first, paged), count, create, show, rename, delete (killed first; with
 * {@code deleteFiles}, its outputs too), results, stdout and stderr, play and kill. Another user's
 * execution is not found, as in the native API.
 */
@RestController
class CarminExecutionsController {
    private final ExecutionService executions;
    private final ExecutionDeletion deletion;
    private final CarminExecutions carmin;
    private final CarminPaths paths;
    private final TaskLogs logs;
    private final AuditLog audit;

    CarminExecutionsController(ExecutionService executions, ExecutionDeletion deletion, CarminExecutions carmin,
                               CarminPaths paths, TaskLogs logs, AuditLog audit) {
        this.executions = executions;
        this.deletion = deletion;
        this.carmin = carmin;
        this.paths = paths;
        this.logs = logs;
        this.audit = audit;
    }

    @GetMapping("/rest/executions")
    List<CarminExecution> list(@AuthenticationPrincipal Account caller,
                               @RequestParam(required = false) String studyIdentifier,
                               @RequestParam(required = false) String offset,
                               @RequestParam(required = false) String limit) {
        int from = number("offset", offset, 0, Integer.MAX_VALUE, 0);
        int count = number("limit", limit, 1, PlatformController.DEFAULT_LIMIT, PlatformController.DEFAULT_LIMIT);
        return executions.list(caller, ExecutionFilter.ALL, from, count).items().stream().map(carmin::carmin).toList();
    }

    @GetMapping(value = "/rest/executions/count", produces = MediaType.TEXT_PLAIN_VALUE)
    String count(@AuthenticationPrincipal Account caller, @RequestParam(required = false) String studyIdentifier) {
        return Integer.toString(executions.list(caller, ExecutionFilter.ALL, 0, 1).total());
    }

    @PostMapping("/rest/executions")
    CarminExecution create(@AuthenticationPrincipal Account caller, @RequestBody CarminExecution request) {
        return carmin.launch(caller, request);
    }

    @GetMapping("/rest/executions/{executionIdentifier}")
    CarminExecution show(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier) {
        return carmin.carmin(executions.view(caller, executionIdentifier));
    }

    /** Only the name changes; a timeout is refused (none here), a changed identifier or status too. */
    @PutMapping("/rest/executions/{executionIdentifier}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier,
                                @RequestBody CarminExecution change) {
        var current = carmin.carmin(executions.view(caller, executionIdentifier));
        if (change == null) {
            throw new InvalidRequestException("Invalid change", "send the Execution with its new name");
        }
        if (change.identifier() != null && !change.identifier().equals(current.identifier())) {
            throw new InvalidRequestException("Invalid change", "an execution's identifier cannot change");
        }
        if (change.status() != null && !change.status().equals(current.status())) {
            throw new InvalidRequestException("Invalid change", "an execution's status cannot be set: kill (PUT .../kill) "
                    + "or delete it instead");
        }
        CarminExecutions.refuseTimeout(change.timeout());
        if (change.name() != null && !change.name().equals(current.name())) {
            executions.rename(caller, executionIdentifier, change.name());
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/rest/executions/{executionIdentifier}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier,
                                @RequestParam(defaultValue = "false") boolean deleteFiles, HttpServletRequest request) {
        deletion.delete(caller, executionIdentifier, deleteFiles);
        audit.record(caller.username(), deleteFiles ? "execution-deleted-with-files" : "execution-deleted",
                executionIdentifier, request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/rest/executions/{executionIdentifier}/results")
    List<CarminPath> results(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier) {
        return executions.view(caller, executionIdentifier).outputs().stream()
                .map(output -> paths.result(caller, output.path(), executionIdentifier)).toList();
    }

    @GetMapping(value = "/rest/executions/{executionIdentifier}/stdout", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<byte[]> stdout(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier) {
        return text(logs.execution(caller, executionIdentifier, LogStore.LogStream.STDOUT));
    }

    @GetMapping(value = "/rest/executions/{executionIdentifier}/stderr", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<byte[]> stderr(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier) {
        return text(logs.execution(caller, executionIdentifier, LogStore.LogStream.STDERR));
    }

    /** Executions start when created: playing one that exists is nothing to do. */
    @PutMapping("/rest/executions/{executionIdentifier}/play")
    ResponseEntity<Void> play(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier) {
        executions.view(caller, executionIdentifier);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/rest/executions/{executionIdentifier}/kill")
    ResponseEntity<Void> kill(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier) {
        executions.kill(caller, executionIdentifier);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<byte[]> text(byte[] bytes) {
        return ResponseEntity.ok().contentType(new MediaType("text", "plain", StandardCharsets.UTF_8)).body(bytes);
    }

    /** CARMIN's paging parameters are strings: a number between min and max, or the default when absent. */
    private static int number(String name, String value, int min, int max, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new InvalidRequestException("Invalid parameter", name + " must be a whole number from " + min + " to " + max
                + ", got '" + value + "'", List.of(new InvalidRequestException.FieldProblem(name, "must be from " + min
                + " to " + max)));
    }
}
