package org.escadrille.server.api.rest;

import org.escadrille.server.account.Account;
import org.escadrille.server.report.ExecutionReports;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/executions/{id}/report}: the execution's report, one self-contained HTML file
 * (docs/executions.md), as an attachment; a snapshot while the execution runs.
 */
@RestController
class ExecutionReportController {
    private final ExecutionReports reports;

    ExecutionReportController(ExecutionReports reports) {
        this.reports = reports;
    }

    @GetMapping("/api/v1/executions/{id}/report")
    ResponseEntity<byte[]> report(@AuthenticationPrincipal Account account, @PathVariable String id) {
        return reports.of(account, id).asAttachment();
    }
}
