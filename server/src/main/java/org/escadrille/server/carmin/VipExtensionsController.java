package org.escadrille.server.carmin;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.scheduling.LogStore;
import org.escadrille.server.storage.UserPath;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What VIP's users ask for most beyond CARMIN 0.3.1 (docs/carmin.md, "Extensions"): an execution's jobs
 * (its tasks) with each one's stdout and stderr, and all its outputs as one tar archive.
 */
@RestController
class VipExtensionsController {
    private final ExecutionService executions;
    private final FolderArchives archives;
    private final TaskLogs logs;

    VipExtensionsController(ExecutionService executions, FolderArchives archives, TaskLogs logs) {
        this.executions = executions;
        this.archives = archives;
        this.logs = logs;
    }

    /** A job: one task of the execution, by its id or its index (either names it in the job routes). */
    record Job(String identifier, int index, String label, String status) {
    }

    @GetMapping("/rest/executions/{executionIdentifier}/jobs")
    List<Job> jobs(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier) {
        return executions.tasks(caller, executionIdentifier).stream()
                .map(task -> new Job(task.id(), task.index(), task.label(), task.status())).toList();
    }

    @GetMapping("/rest/executions/{executionIdentifier}/jobs/{job}/stdout")
    ResponseEntity<byte[]> stdout(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier,
                                  @PathVariable String job) {
        return log(caller, executionIdentifier, job, LogStore.LogStream.STDOUT);
    }

    @GetMapping("/rest/executions/{executionIdentifier}/jobs/{job}/stderr")
    ResponseEntity<byte[]> stderr(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier,
                                  @PathVariable String job) {
        return log(caller, executionIdentifier, job, LogStore.LogStream.STDERR);
    }

    /** The execution's output folder as a tar archive, named after the folder. */
    @GetMapping("/rest/executions/{executionIdentifier}/archive")
    void archive(@AuthenticationPrincipal Account caller, @PathVariable String executionIdentifier,
                 HttpServletResponse response) throws IOException {
        var folder = UserPath.of(executions.view(caller, executionIdentifier).outputDir());
        response.setContentType("application/x-tar");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename(folder.name() + ".tar", StandardCharsets.UTF_8).build().toString());
        archives.write(caller, folder, folder.name(), response.getOutputStream());
    }

    private ResponseEntity<byte[]> log(Account caller, String id, String job, LogStore.LogStream stream) {
        return ResponseEntity.ok().contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(logs.task(caller, id, job, stream));
    }
}
