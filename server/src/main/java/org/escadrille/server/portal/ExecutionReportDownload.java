package org.escadrille.server.portal;

import org.escadrille.server.account.Account;
import org.escadrille.server.report.ExecutionReports;
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
        return reports.of(account, id).asAttachment();
    }
}
