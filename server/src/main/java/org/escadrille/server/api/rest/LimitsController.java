package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.limits.RunningLimits;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.storage.StorageQuotas;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's limits and what they use of them ({@code GET /api/v1/me/limits}), and admins' own limits
 * for a user or a group on executions not ended at once (docs/limits.md).
 */
@RestController
class LimitsController {
    private final ExecutionService executions;
    private final RunningLimits limits;
    private final Scheduler scheduler;
    private final StorageQuotas storage;
    private final AccountService accounts;
    private final AuditLog audit;
    private final int slotQuota;

    LimitsController(ExecutionService executions, RunningLimits limits, Scheduler scheduler, StorageQuotas storage,
                     AccountService accounts, AuditLog audit, EscadrilleProperties properties) {
        this.executions = executions;
        this.limits = limits;
        this.scheduler = scheduler;
        this.storage = storage;
        this.accounts = accounts;
        this.audit = audit;
        this.slotQuota = properties.scheduling().userQuota();
    }

    /** Executions not ended against their limit (0: none) and where it comes from; what a launch past it gets. */
    record RunningView(int running, int waiting, int max, String source, String overLimit) {
    }

    /** Tasks holding a slot against {@code escadrille.scheduling.user-quota} (0: none). */
    record SlotsView(int running, int quota) {
    }

    record StorageView(long usedBytes, long quotaBytes) {
    }

    record LimitsView(String username, RunningView executions, SlotsView slots, StorageView storage) {
    }

    /** A new own limit: executions not ended at once (0: no limit); null removes the own limit. */
    record LimitChange(Integer maxRunningExecutions) {
    }

    record UserLimitView(String username, Integer maxRunningExecutions, int effective, String source) {
    }

    record GroupLimitView(String group, Integer maxRunningExecutions) {
    }

    @GetMapping("/api/v1/me/limits")
    LimitsView mine(@AuthenticationPrincipal Account caller) {
        var running = executions.runningExecutions(caller);
        var used = storage.usage(caller);
        return new LimitsView(caller.username(),
                new RunningView(running.running(), running.waiting(), running.limit().max(), running.limit().source(),
                        limits.queueOverLimit() ? "queue" : "refuse"),
                new SlotsView(scheduler.runningSlots(caller.username()), slotQuota),
                new StorageView(used.usedBytes(), used.quotaBytes()));
    }

    @PutMapping("/api/v1/users/{username}/limits")
    UserLimitView setUser(@AuthenticationPrincipal Account caller, @PathVariable String username,
                          @RequestBody(required = false) LimitChange change, HttpServletRequest request) {
        admin(caller);
        var user = accounts.findByUsername(username).orElseThrow(() -> new NotFoundException("no user '" + username + "'"));
        limits.setUser(user.username(), present(change).maxRunningExecutions());
        audit.record(caller.username(), "limit-change", "user " + user.username() + " max-running-executions "
                + described(change), request.getRemoteAddr());
        var effective = limits.of(user.username());
        return new UserLimitView(user.username(), limits.userLimits().get(user.username()), effective.max(),
                effective.source());
    }

    @PutMapping("/api/v1/groups/{name}/limits")
    GroupLimitView setGroup(@AuthenticationPrincipal Account caller, @PathVariable String name,
                            @RequestBody(required = false) LimitChange change, HttpServletRequest request) {
        admin(caller);
        limits.setGroup(name, present(change).maxRunningExecutions());
        audit.record(caller.username(), "limit-change", "group " + name + " max-running-executions " + described(change),
                request.getRemoteAddr());
        return new GroupLimitView(name, limits.groupLimits().get(name));
    }

    /** Every own limit, for admins: users' and groups'. */
    @GetMapping("/api/v1/limits")
    Map<String, Map<String, Integer>> all(@AuthenticationPrincipal Account caller) {
        admin(caller);
        return Map.of("users", limits.userLimits(), "groups", limits.groupLimits());
    }

    private static LimitChange present(LimitChange change) {
        if (change == null) {
            throw new InvalidRequestException("Missing limit", "send {\"maxRunningExecutions\": N} (0: no limit)"
                    + " or {\"maxRunningExecutions\": null} to remove this own limit");
        }
        return change;
    }

    private static String described(LimitChange change) {
        return change.maxRunningExecutions() == null ? "removed" : Integer.toString(change.maxRunningExecutions());
    }

    private static void admin(Account caller) {
        if (!caller.isAdmin()) {
            throw new AccessDeniedException("limits are set by admins only");
        }
    }
}
