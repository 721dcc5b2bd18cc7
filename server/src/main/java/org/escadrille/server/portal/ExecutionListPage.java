package org.escadrille.server.portal;

import java.util.List;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionStatus;
import org.escadrille.server.execution.ExecutionView;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The user's executions, newest first, filtered by status and application; refreshed while some run. */
@Controller
class ExecutionListPage {
    static final String ACTIVE = "active";
    private final ExecutionService executions;

    ExecutionListPage(ExecutionService executions) {
        this.executions = executions;
    }

    @GetMapping("/executions")
    String list(@AuthenticationPrincipal(expression = "account") Account account,
                @RequestParam(defaultValue = "") String status, @RequestParam(defaultValue = "") String app,
                @RequestHeader(value = "HX-Request", required = false) String htmx, Model model) {
        List<ExecutionView> all = executions.list(account);
        var shown = all.stream()
                .filter(e -> status.isEmpty() || (status.equals(ACTIVE) ? !e.status().isTerminal() : e.status().name().equals(status)))
                .filter(e -> app.isEmpty() || e.app().equals(app))
                .toList();
        model.addAttribute("executions", shown);
        model.addAttribute("total", all.size());
        model.addAttribute("status", status);
        model.addAttribute("app", app);
        model.addAttribute("statuses", List.of(ExecutionStatus.values()));
        model.addAttribute("apps", all.stream().map(ExecutionView::app).distinct().sorted().toList());
        model.addAttribute("live", shown.stream().anyMatch(e -> !e.status().isTerminal()));
        return htmx != null ? "executions :: table" : "executions";
    }
}
