package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.site.SiteFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin page's buttons on a pilot (the security chain keeps {@code /admin/**} for admins): drain it
 * (it finishes what it runs, takes nothing new and leaves) or stop it (its tasks are requeued now and it
 * abandons them). Both audited; an unknown or ended pilot is the not-found page.
 */
@Controller
class AdminPilotForms {
    private final SiteFactory factory;
    private final AuditLog audit;

    AdminPilotForms(SiteFactory factory, AuditLog audit) {
        this.factory = factory;
        this.audit = audit;
    }

    @PostMapping("/admin/pilots/{pilotId}/drain")
    String drain(@AuthenticationPrincipal(expression = "account") Account admin, @PathVariable String pilotId,
                 RedirectAttributes redirect, HttpServletRequest request) {
        factory.drain(pilotId);
        audit.record(admin.username(), "pilot-drained", pilotId, request.getRemoteAddr());
        redirect.addFlashAttribute("notice", "Pilot " + pilotId + " drains: it finishes its running tasks, takes no new"
                + " one, then leaves.");
        return "redirect:/admin#pilots-title";
    }

    @PostMapping("/admin/pilots/{pilotId}/stop")
    String stop(@AuthenticationPrincipal(expression = "account") Account admin, @PathVariable String pilotId,
                RedirectAttributes redirect, HttpServletRequest request) {
        factory.stop(pilotId);
        audit.record(admin.username(), "pilot-stopped", pilotId, request.getRemoteAddr());
        redirect.addFlashAttribute("notice", "Pilot " + pilotId + " is stopped: its tasks are back in the queue, and it"
                + " abandons them and leaves at its next heartbeat.");
        return "redirect:/admin#pilots-title";
    }
}
