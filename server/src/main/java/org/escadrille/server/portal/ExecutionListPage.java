package org.escadrille.server.portal;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionFilter;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The user's executions, newest first, filtered by status and application, a page at a time (with
 * links to the next and previous pages); refreshed while some on the page run.
 */
@Controller
class ExecutionListPage {
    static final String ACTIVE = "active";
    static final int PAGE_SIZE = 50;
    private final ExecutionService executions;

    ExecutionListPage(ExecutionService executions) {
        this.executions = executions;
    }

    @GetMapping("/executions")
    String list(@AuthenticationPrincipal(expression = "account") Account account,
                @RequestParam(defaultValue = "") String status, @RequestParam(defaultValue = "") String app,
                @RequestParam(defaultValue = "1") int page,
                @RequestHeader(value = "HX-Request", required = false) String htmx, Model model) {
        int current = Math.max(1, page);
        var shown = executions.list(account, filter(status, app), (current - 1) * PAGE_SIZE, PAGE_SIZE);
        model.addAttribute("executions", shown.items());
        model.addAttribute("total", shown.total());
        model.addAttribute("page", current);
        model.addAttribute("pages", Math.max(1, (shown.total() + PAGE_SIZE - 1) / PAGE_SIZE));
        model.addAttribute("hasNext", shown.hasNext());
        model.addAttribute("status", status);
        model.addAttribute("app", app);
        model.addAttribute("statuses", List.of(ExecutionStatus.values()));
        model.addAttribute("apps", executions.appsRun(account));
        model.addAttribute("live", shown.items().stream().anyMatch(e -> !e.status().isTerminal()));
        return htmx != null ? "executions :: table" : "executions";
    }

    private static ExecutionFilter filter(String status, String app) {
        if (status.equals(ACTIVE)) {
            return new ExecutionFilter(Arrays.stream(ExecutionStatus.values()).filter(s -> !s.isTerminal())
                    .collect(Collectors.toSet()), app);
        }
        var chosen = Arrays.stream(ExecutionStatus.values()).filter(s -> s.name().equals(status)).collect(Collectors.toSet());
        return new ExecutionFilter(chosen, app);
    }
}
