package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.provenance.CrateExport;
import org.escadrille.server.provenance.CrateReplay;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Provenance (docs/provenance.md): an ended execution's Workflow Run RO-Crate, and a replay launched
 * from one, sent as its ZIP or as its {@code ro-crate-metadata.json} alone.
 */
@RestController
class CratesController {
    private final CrateExport export;
    private final CrateReplay replay;

    CratesController(CrateExport export, CrateReplay replay) {
        this.export = export;
        this.replay = replay;
    }

    @GetMapping("/api/v1/executions/{id}/crate")
    void crate(@AuthenticationPrincipal Account account, @PathVariable String id, HttpServletResponse response)
            throws IOException {
        var crate = export.crate(account, id);
        response.setContentType("application/zip");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(crate.fileName()).build().toString());
        crate.writeTo(response.getOutputStream());
    }

    /** A new execution of what the crate records: a ZIP body (application/zip), or its metadata (application/ld+json or application/json). */
    @PostMapping("/api/v1/executions/replay")
    ResponseEntity<ExecutionView> replay(@AuthenticationPrincipal Account account, HttpServletRequest request)
            throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType();
        var execution = type.contains("json")
                ? replay.replay(account, request.getInputStream().readAllBytes())
                : replay.replayZip(account, request.getInputStream());
        return ResponseEntity.status(HttpStatus.CREATED).body(execution);
    }
}
