package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.storage.StorageQuotas;
import org.escadrille.server.account.MailPreference;
import org.escadrille.server.group.Groups;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The signed-in user's account: who they are, their limits and what they use of them (docs/limits.md), their password (change it, given the current one), and
 * their API keys (create one, shown once, with an optional expiry; see when each was used; revoke).
 */
@Controller
class AccountPage {
    /** The lifetimes offered for a new key, in days (0: never expires). */
    static final List<Integer> EXPIRY_DAYS = List.of(0, 7, 30, 90, 365);
    private final AccountService accounts;
    private final Clock clock;
    private final ObjectProvider<JavaMailSender> mail;
    private final StorageQuotas quotas;
    private final ExecutionService executions;
    private final Scheduler scheduler;
    private final int slotQuota;
    private final Groups groups;

    AccountPage(AccountService accounts, Clock clock, ObjectProvider<JavaMailSender> mail, StorageQuotas quotas,
                ExecutionService executions, Scheduler scheduler, EscadrilleProperties properties, Groups groups) {
        this.quotas = quotas;
        this.executions = executions;
        this.scheduler = scheduler;
        this.slotQuota = properties.scheduling().userQuota();
        this.groups = groups;
        this.accounts = accounts;
        this.clock = clock;
        this.mail = mail;
    }

    @GetMapping("/account")
    String account(@AuthenticationPrincipal(expression = "account") Account account, Model model) {
        return page(account, model, "");
    }

    @PostMapping("/account/keys")
    String create(@AuthenticationPrincipal(expression = "account") Account account, @RequestParam(defaultValue = "") String label,
                  @RequestParam(defaultValue = "0") int expiresInDays, Model model, RedirectAttributes redirect,
                  HttpServletRequest request, HttpServletResponse response) {
        try {
            if (!EXPIRY_DAYS.contains(expiresInDays)) {
                throw new InvalidRequestException("Invalid expiry", "choose an expiry among the ones offered");
            }
            Instant expiresAt = expiresInDays == 0 ? null : clock.instant().plus(Duration.ofDays(expiresInDays));
            var created = accounts.createApiKey(account, label, expiresAt, request.getRemoteAddr());
            redirect.addFlashAttribute("newKey", created.secret());
            redirect.addFlashAttribute("newKeyLabel", label.strip());
            return "redirect:/account";
        } catch (InvalidRequestException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("labelError", e.problems().isEmpty() ? e.getMessage() : e.problems().getFirst().message());
            return page(account, model, label);
        }
    }

    @PostMapping("/account/keys/{id}/revoke")
    String revoke(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                  RedirectAttributes redirect, HttpServletRequest request) {
        accounts.revokeApiKey(account, id, request.getRemoteAddr());
        redirect.addFlashAttribute("notice", "The key is revoked: programs using it can no longer sign in.");
        return "redirect:/account";
    }

    @PostMapping("/account/password")
    String changePassword(@AuthenticationPrincipal(expression = "account") Account account,
                          @RequestParam(defaultValue = "") String currentPassword, @RequestParam(defaultValue = "") String newPassword,
                          Model model, RedirectAttributes redirect, HttpServletRequest request, HttpServletResponse response) {
        try {
            accounts.changePassword(account, currentPassword, newPassword, request.getRemoteAddr());
            redirect.addFlashAttribute("notice", "Your password is changed; use the new one from your next sign-in.");
            return "redirect:/account";
        } catch (InvalidRequestException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("passwordError", PortalExceptionHandler.capitalized(e.getMessage()) + ".");
            return page(account, model, "");
        }
    }

    @PostMapping("/account/notifications")
    String notifications(@AuthenticationPrincipal(expression = "account") Account account,
                         @RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "false") boolean notify,
                         Model model, RedirectAttributes redirect, HttpServletResponse response) {
        try {
            accounts.changeMailPreference(account, new MailPreference(email, notify));
            redirect.addFlashAttribute("notice", notify && !email.isBlank()
                    ? "You will be told by e-mail at " + email.strip() + " when an execution ends."
                    : "You will not be told by e-mail when an execution ends.");
            return "redirect:/account";
        } catch (InvalidRequestException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("emailError", PortalExceptionHandler.capitalized(e.getMessage()) + ".");
            model.addAttribute("emailValue", email);
            return page(account, model, "");
        }
    }

    private String page(Account account, Model model, String label) {
        var preference = accounts.mailPreference(account.id());
        model.addAttribute("mailPreference", preference);
        model.addAttribute("mailConfigured", mail.getIfAvailable() != null);
        if (!model.containsAttribute("emailValue")) {
            model.addAttribute("emailValue", preference.email() == null ? "" : preference.email());
        }
        model.addAttribute("me", account);
        model.addAttribute("storage", quotas.usage(account));
        model.addAttribute("runningExecutions", executions.runningExecutions(account));
        model.addAttribute("runningSlots", scheduler.runningSlots(account.username()));
        model.addAttribute("slotQuota", slotQuota);
        model.addAttribute("myGroups", groups.membershipsOf(account.username()));
        model.addAttribute("keys", accounts.apiKeys(account));
        model.addAttribute("label", label);
        model.addAttribute("expiryDays", EXPIRY_DAYS);
        return "account";
    }
}
