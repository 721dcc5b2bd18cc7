package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.OidcAccounts;
import org.escadrille.server.account.PendingAccount;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin page's accounts waiting for approval (made at a first institutional sign-in, docs/oidc.md):
 * Approve enables one, Reject leaves it disabled. Back to the admin page with a notice.
 */
@Controller
class AdminApprovalForms {
    private final OidcAccounts accounts;

    AdminApprovalForms(OidcAccounts accounts) {
        this.accounts = accounts;
    }

    @PostMapping("/admin/users/approve")
    String approve(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam String username,
                   RedirectAttributes redirect, HttpServletRequest request) {
        accounts.approve(admin, username, request.getRemoteAddr());
        redirect.addFlashAttribute("notice", username + " is approved: their next sign-in gets in.");
        return "redirect:/admin#pending-title";
    }

    @PostMapping("/admin/users/reject")
    String reject(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam String username,
                  RedirectAttributes redirect, HttpServletRequest request) {
        accounts.reject(admin, username, request.getRemoteAddr());
        redirect.addFlashAttribute("notice", username + " is rejected: the account stays disabled.");
        return "redirect:/admin#pending-title";
    }

    /** The list itself, in the admin page's model (kept apart from AdminPage, which has enough to do). */
    @ControllerAdvice(assignableTypes = AdminPage.class)
    static class PendingAccountsModel {
        private final OidcAccounts accounts;

        PendingAccountsModel(OidcAccounts accounts) {
            this.accounts = accounts;
        }

        @ModelAttribute("pendingAccounts")
        List<PendingAccount> pendingAccounts() {
            return accounts.pending();
        }
    }
}
