package org.escadrille.server.portal;

import java.nio.charset.StandardCharsets;
import org.escadrille.server.account.Account;
import org.escadrille.server.report.ExecutionReports;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The execution page's "Download report" link: the execution's self-contained HTML report, as a file. */
@Controller
class ExecutionReportDownload {
    private final ExecutionReports reports;

    ExecutionReportDownload(ExecutionReports reports) {
        this.reports = reports;
    }

    @GetMapping("/executions/{id}/report")
    ResponseEntity<byte[]> download(@AuthenticationPrincipal(expression = "account") Account account,
                                    @PathVariable String id) {
        var report = reports.of(account, id);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(report.fileName())
                        .build().toString())
                .body(report.html().getBytes(StandardCharsets.UTF_8));
    }
}
