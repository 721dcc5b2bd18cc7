package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.escadrille.server.ConflictException;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.UserAdministration;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.scheduling.PilotRegistry;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.scheduling.SchedulerMetrics;
import org.escadrille.server.site.SiteChange;
import org.escadrille.server.site.SiteFactory;
import org.escadrille.server.site.SiteService;
import org.escadrille.server.storage.OrphanSweeper;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * For administrators (the security chain checks the role): users (searched by name or address) and their
 * roles (what else admins do to users is {@link AdminUserForms}), sites and their
 * pilots (with a dead pilot's own log), the queue, and the audit log (newest first, a page at a time).
 */
@Controller
class AdminPage {
    static final int PILOTS_SHOWN = 50;
    static final int AUDIT_PAGE_SIZE = 25;
    private final AccountService accounts;
    private final UserAdministration users;
    private final AuditLog audit;
    private final PilotRegistry pilots;
    private final Scheduler scheduler;
    private final SchedulerMetrics metrics;
    private final SiteService sites;
    private final SiteFactory factory;
    private final OrphanSweeper sweeper;

    AdminPage(AccountService accounts, UserAdministration users, AuditLog audit, PilotRegistry pilots, Scheduler scheduler, SchedulerMetrics metrics,
              SiteService sites, SiteFactory factory, OrphanSweeper sweeper) {
        this.sweeper = sweeper;
        this.sites = sites;
        this.factory = factory;
        this.accounts = accounts;
        this.users = users;
        this.audit = audit;
        this.pilots = pilots;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /** How many of a user's tasks wait in the queue. */
    record QueuedForUser(String username, long tasks) {
    }

    /** The new-user form as typed (never the password), and what is wrong with it. */
    record NewUser(String username, String role, String error) {
        static final NewUser BLANK = new NewUser("", Account.Role.USER.name(), null);
    }

    @GetMapping("/admin")
    String admin(@RequestParam(defaultValue = "0") int auditPage, @RequestParam(defaultValue = "") String q, Model model) {
        model.addAttribute("userQuery", q.strip());
        return page(model, NewUser.BLANK, auditPage);
    }

    @PostMapping("/admin/users")
    String createUser(@AuthenticationPrincipal(expression = "account") Account admin,
                      @RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                      @RequestParam(defaultValue = "USER") String role, Model model, RedirectAttributes redirect,
                      HttpServletRequest request, HttpServletResponse response) {
        try {
            var created = accounts.createUser(admin, username.strip(), password, role(role), request.getRemoteAddr());
            redirect.addFlashAttribute("notice", "User " + created.username() + " created (" + created.role().name().toLowerCase()
                    + "). Give them their password; they can create API keys on their account page.");
            return "redirect:/admin";
        } catch (InvalidRequestException | ConflictException e) {
            response.setStatus(e instanceof ConflictException ? HttpServletResponse.SC_CONFLICT : HttpServletResponse.SC_BAD_REQUEST);
            return page(model, new NewUser(username, role, PortalExceptionHandler.capitalized(e.getMessage()) + "."), 0);
        }
    }

    @PostMapping("/admin/users/role")
    String changeRole(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam String username,
                      @RequestParam String role, RedirectAttributes redirect, HttpServletRequest request) {
        var changed = accounts.changeRole(admin, username, role(role), request.getRemoteAddr());
        redirect.addFlashAttribute("notice", changed.username() + " is now " + changed.role().name().toLowerCase() + ".");
        return "redirect:/admin";
    }

    /** Enables or disables a site (a disabled one's pilots drain). */
    @PostMapping("/admin/sites/{name}/enabled")
    String enableSite(@AuthenticationPrincipal(expression = "account") Account admin, @PathVariable String name,
                      @RequestParam boolean enabled, RedirectAttributes redirect, HttpServletRequest request) {
        sites.update(name, new SiteChange(null, null, enabled, null, null, null, null, null, null, null), admin.username(),
                request.getRemoteAddr());
        redirect.addFlashAttribute("notice", "Site " + name + (enabled ? " is enabled." : " is disabled: its pilots drain."));
        return "redirect:/admin";
    }

    /** The end of a pilot's own output (its process's, its batch job's), as its site's engine keeps it. */
    @GetMapping("/admin/pilots/{pilotId}/log")
    ResponseEntity<String> pilotLog(@PathVariable String pilotId) {
        // Text whatever the browser asks for: a log, not a page.
        var text = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);
        return factory.pilotLog(pilotId).map(log -> ResponseEntity.ok().contentType(text).body(log))
                .orElseGet(() -> ResponseEntity.status(404).contentType(text)
                .body("No log of pilot " + pilotId + " here: its site's engine keeps none, or not any more.\n"));
    }

    /** The scheduler's per-user queue depth, as it publishes it for Prometheus (refreshed every few seconds). */
    private List<QueuedForUser> queuedByUser() {
        return metrics.queuedByUser().entrySet().stream()
                .map(entry -> new QueuedForUser(entry.getKey(), entry.getValue()))
                .filter(row -> row.username() != null && row.tasks() > 0)
                .sorted(Comparator.comparingLong(QueuedForUser::tasks).reversed().thenComparing(QueuedForUser::username))
                .toList();
    }

    private static Account.Role role(String name) {
        try {
            return Account.Role.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Invalid role", "choose a role among " + List.of(Account.Role.values()));
        }
    }

    private String page(Model model, NewUser newUser, int auditPage) {
        model.addAttribute("users", users.find((String) model.getAttribute("userQuery")));
        model.addAttribute("roles", List.of(Account.Role.values()));
        model.addAttribute("newUser", newUser);
        var recent = pilots.recent(PILOTS_SHOWN);
        model.addAttribute("pilots", recent);
        model.addAttribute("draining", recent.stream()
                .filter(pilot -> "RUNNING".equals(pilot.state()) || "SUBMITTED".equals(pilot.state()))
                .map(PilotRegistry.PilotInfo::id).filter(factory::shouldDrain)
                .collect(Collectors.toSet()));
        model.addAttribute("sites", sites.list());
        model.addAttribute("unmatchedWork", factory.unmatchedWork());
        model.addAttribute("queued", scheduler.queuedCount());
        model.addAttribute("leased", scheduler.leasedCount());
        model.addAttribute("queuedByUser", queuedByUser());
        model.addAttribute("audit", audit.page(Math.max(0, auditPage), AUDIT_PAGE_SIZE));
        model.addAttribute("orphanSweep", sweeper.lastReport().orElse(null));
        return "admin";
    }
}
