package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.storage.OrphanSweeper;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin page's button that runs the orphan sweeper now (the security chain keeps {@code /admin/**} for admins). */
@Controller
class AdminStorageForms {
    private final OrphanSweeper sweeper;
    private final AuditLog audit;

    AdminStorageForms(OrphanSweeper sweeper, AuditLog audit) {
        this.sweeper = sweeper;
        this.audit = audit;
    }

    @PostMapping("/admin/storage/orphan-sweep")
    String sweep(@AuthenticationPrincipal(expression = "account") Account admin, RedirectAttributes redirect,
                 HttpServletRequest request) {
        var report = sweeper.sweep();
        audit.record(admin.username(), "orphan-sweep", report.removed() + " objects removed (" + report.removedBytes()
                + " bytes)", request.getRemoteAddr());
        redirect.addFlashAttribute("notice", "Orphan sweep done: " + report.removed() + " of " + report.examined()
                + " objects removed.");
        return "redirect:/admin#storage-title";
    }
}
