package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.escadrille.server.account.Account;
import org.escadrille.server.provenance.CrateExport;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The execution page's "Download RO-Crate": the same ZIP as the API's, for a signed-in session. */
@Controller
class CrateDownload {
    private final CrateExport export;

    CrateDownload(CrateExport export) {
        this.export = export;
    }

    @GetMapping("/executions/{id}/crate")
    void crate(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
               HttpServletResponse response)
            throws IOException {
        var crate = export.crate(account, id);
        response.setContentType("application/zip");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(crate.fileName()).build().toString());
        crate.writeTo(response.getOutputStream());
    }
}
