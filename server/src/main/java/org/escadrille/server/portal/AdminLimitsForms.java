package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.limits.RunningLimits;
import org.escadrille.server.usage.UsageAccounting;
import org.escadrille.server.usage.UsageCsv;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin page's limits on running executions (a user's, a group's: docs/limits.md) and the usage
 * table of a month, per user or per group, with its CSV (the security chain keeps {@code /admin/**} for
 * admins). A limit left empty removes the own limit.
 */
@Controller
class AdminLimitsForms {
    private final RunningLimits limits;
    private final AccountService accounts;
    private final UsageAccounting usage;
    private final AuditLog audit;
    private final Clock clock;

    AdminLimitsForms(RunningLimits limits, AccountService accounts, UsageAccounting usage, AuditLog audit, Clock clock) {
        this.limits = limits;
        this.accounts = accounts;
        this.usage = usage;
        this.audit = audit;
        this.clock = clock;
    }

    @PostMapping("/admin/limits/user")
    String userLimit(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam String username,
                     @RequestParam(defaultValue = "") String max, RedirectAttributes redirect, HttpServletRequest request) {
        var user = accounts.findByUsername(username.strip())
                .orElseThrow(() -> new NotFoundException("no user '" + username + "'"));
        Integer value = max(max);
        limits.setUser(user.username(), value);
        audit.record(admin.username(), "limit-change", "user " + user.username() + " max-running-executions "
                + (value == null ? "removed" : value), request.getRemoteAddr());
        var effective = limits.of(user.username());
        redirect.addFlashAttribute("notice", user.username() + " may run " + (effective.limited()
                ? effective.max() + " execution(s) at once (" + effective.source() + ")." : "any number of executions at once."));
        return "redirect:/admin#limits-title";
    }

    @PostMapping("/admin/limits/group")
    String groupLimit(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam String group,
                      @RequestParam(defaultValue = "") String max, RedirectAttributes redirect, HttpServletRequest request) {
        Integer value = max(max);
        limits.setGroup(group.strip(), value);
        audit.record(admin.username(), "limit-change", "group " + group.strip() + " max-running-executions "
                + (value == null ? "removed" : value), request.getRemoteAddr());
        redirect.addFlashAttribute("notice", value == null ? "Group " + group.strip() + " has no own limit now."
                : "Members of " + group.strip() + " may run " + (value == 0 ? "any number of" : value) + " execution(s) at once,"
                + " unless they have their own limit or a more generous group.");
        return "redirect:/admin#limits-title";
    }

    @GetMapping("/admin/usage")
    String usage(@RequestParam(defaultValue = "") String month, @RequestParam(defaultValue = "user") String by, Model model) {
        var period = month(month);
        model.addAttribute("month", period.toString());
        model.addAttribute("by", by(by));
        model.addAttribute("lines", by(by).equals("user") ? usage.byUser(period) : usage.byGroup(period));
        return "admin-usage";
    }

    @GetMapping("/admin/usage.csv")
    ResponseEntity<String> usageCsv(@RequestParam(defaultValue = "") String month, @RequestParam(defaultValue = "user") String by) {
        var period = month(month);
        var lines = by(by).equals("user") ? usage.byUser(period) : usage.byGroup(period);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"usage-" + period + "-by-" + by + ".csv\"")
                .body(UsageCsv.of(period.toString(), by, lines));
    }

    private static Integer max(String max) {
        if (max.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(max.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Invalid limit", "a limit is a number of executions (0: no limit), or empty"
                    + " to remove the own limit; got '" + max + "'");
        }
    }

    private static String by(String by) {
        if (!by.equals("user") && !by.equals("group")) {
            throw new InvalidRequestException("Invalid grouping", "usage is per 'user' or per 'group', got '" + by + "'");
        }
        return by;
    }

    private YearMonth month(String month) {
        if (month.isBlank()) {
            return YearMonth.now(clock.withZone(ZoneOffset.UTC));
        }
        try {
            return YearMonth.parse(month.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("Invalid month", "a month is a year and a month, as 2026-11; got '" + month + "'");
        }
    }
}
