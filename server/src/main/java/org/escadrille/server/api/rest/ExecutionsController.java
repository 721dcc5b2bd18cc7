package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.execution.ExecutionDeletion;
import org.escadrille.server.execution.ExecutionFilter;
import org.escadrille.server.execution.ExecutionRerun;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.LaunchRequest;
import org.escadrille.server.execution.TaskView;
import org.escadrille.server.scheduling.LogStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Executions: launch, list (filtered by status, application, name, input value and date; an admin's by owner too), show, tasks, logs, kill, stop (a Monte-Carlo run's stop and merge), delete. */
@RestController
class ExecutionsController {
    private final ExecutionService executions;
    private final ExecutionDeletion deletion;
    private final Paging paging;
    private final AuditLog audit;

    private final ExecutionRerun reruns;

    ExecutionsController(ExecutionService executions, ExecutionDeletion deletion, ExecutionRerun reruns, Paging paging,
                         AuditLog audit) {
        this.reruns = reruns;
        this.executions = executions;
        this.deletion = deletion;
        this.paging = paging;
        this.audit = audit;
    }

    @PostMapping("/api/v1/executions")
    ResponseEntity<ExecutionView> launch(@AuthenticationPrincipal Account account, @RequestBody LaunchRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(executions.launch(account, request));
    }

    @GetMapping("/api/v1/executions")
    ResponseEntity<List<ExecutionView>> list(@AuthenticationPrincipal Account account,
                                             @RequestParam(required = false) Integer limit,
                                             @RequestParam(required = false) Integer offset,
                                             @RequestParam(required = false) String status,
                                             @RequestParam(required = false) String app,
                                             @RequestParam(required = false) String name,
                                             @RequestParam(required = false) String input,
                                             @RequestParam(required = false) String from,
                                             @RequestParam(required = false) String to,
                                             @RequestParam(required = false) String owner, HttpServletRequest request) {
        var window = paging.window(limit, offset);
        // a day in from/to is a UTC day: the API's times are instants, and its clients live anywhere
        var filter = ExecutionFilter.parse(status, app, name, input, from, to, ZoneOffset.UTC);
        return paging.answer(executions.list(account, owner, filter, window.offset(), window.limit()), window, request);
    }

    @GetMapping("/api/v1/executions/{id}")
    ExecutionView show(@AuthenticationPrincipal Account account, @PathVariable String id) {
        return executions.read(account, id);
    }

    @GetMapping("/api/v1/executions/{id}/tasks")
    List<TaskView> tasks(@AuthenticationPrincipal Account account, @PathVariable String id) {
        return executions.tasks(account, id);
    }

    @GetMapping("/api/v1/executions/{id}/logs")
    ResponseEntity<byte[]> logs(@AuthenticationPrincipal Account account, @PathVariable String id,
                                @RequestParam(required = false) String task,
                                @RequestParam(defaultValue = "stdout") String stream,
                                @RequestParam(defaultValue = "0") long offset) {
        var chunk = executions.log(account, id, task, LogStore.LogStream.parse(stream), offset);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .header("X-Escadrille-Next-Offset", Long.toString(chunk.nextOffset()))
                .header("X-Escadrille-Log-Complete", Boolean.toString(chunk.complete()))
                .body(chunk.bytes());
    }

    /** Deletes the execution (killed first if it runs); {@code deleteFiles=true}: its outputs too. */
    @DeleteMapping("/api/v1/executions/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Account account, @PathVariable String id,
                                @RequestParam(defaultValue = "false") boolean deleteFiles, HttpServletRequest request) {
        deletion.delete(account, id, deleteFiles);
        audit.record(account.username(), deleteFiles ? "execution-deleted-with-files" : "execution-deleted", id,
                request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/executions/{id}/kill")
    ExecutionView kill(@AuthenticationPrincipal Account account, @PathVariable String id) {
        return executions.kill(account, id);
    }

    /**
     * A new execution of the same application version and inputs; {@code failed=true}: only the tasks
     * that failed or were cancelled run, the others reuse their outputs (copied into the new folder).
     */
    @PostMapping("/api/v1/executions/{id}/rerun")
    ResponseEntity<ExecutionView> rerun(@AuthenticationPrincipal Account account, @PathVariable String id,
                                        @RequestParam(defaultValue = "false") boolean failed) {
        return ResponseEntity.status(HttpStatus.CREATED).body(reruns.rerun(account, id, failed));
    }

    /** Stop and merge: a Monte-Carlo run ends now, Finished with the events its tasks simulated so far. */
    @PostMapping("/api/v1/executions/{id}/stop")
    ExecutionView stop(@AuthenticationPrincipal Account account, @PathVariable String id) {
        return executions.stop(account, id);
    }
}
