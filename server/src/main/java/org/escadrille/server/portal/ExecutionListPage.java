package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.server.InvalidRequestException;
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
 * The user's executions, newest first, filtered by status, application, name, input value and date, a
 * page at a time (with links to the next and previous pages); refreshed while some on the page run.
 * The filter lives in the URL, so that a bookmarked or shared address shows the same list. An admin also
 * chooses whose executions ({@code owner}: a user name, or {@code *} for everyone's); anyone else's
 * {@code owner} is refused.
 */
@Controller
class ExecutionListPage {
    static final int PAGE_SIZE = 50;
    private final ExecutionService executions;

    ExecutionListPage(ExecutionService executions) {
        this.executions = executions;
    }

    @GetMapping("/executions")
    String list(@AuthenticationPrincipal(expression = "account") Account account,
                @RequestParam(defaultValue = "") String status, @RequestParam(defaultValue = "") String app,
                @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String input,
                @RequestParam(defaultValue = "") String from, @RequestParam(defaultValue = "") String to,
                @RequestParam(defaultValue = "") String owner, @RequestParam(defaultValue = "") String user,
                @RequestParam(defaultValue = "1") int page,
                @RequestHeader(value = "HX-Request", required = false) String htmx, Model model,
                HttpServletResponse response) {
        int current = Math.max(1, page);
        // the "or one user" field, when filled, names whose executions instead of the Whose choice
        owner = user.isBlank() ? owner.strip() : user.strip();
        var fields = new LinkedHashMap<String, String>();
        fields.put("status", status);
        fields.put("app", app);
        fields.put("name", name);
        fields.put("input", input);
        fields.put("from", from);
        fields.put("to", to);
        var errors = new LinkedHashMap<String, String>();
        ExecutionFilter filter;
        try {
            filter = filter(fields);
        } catch (InvalidRequestException e) {
            // the list still shows, filtered by the values that make sense; each bad one is named by its field
            e.problems().forEach(problem -> errors.putIfAbsent(problem.field(), problem.message()));
            var usable = new LinkedHashMap<>(fields);
            errors.keySet().forEach(field -> usable.put(field, ""));
            filter = filter(usable);
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        }
        var shown = executions.list(account, owner, filter, (current - 1) * PAGE_SIZE, PAGE_SIZE);
        model.addAttribute("executions", shown.items());
        model.addAttribute("total", shown.total());
        model.addAttribute("page", current);
        model.addAttribute("pages", Math.max(1, (shown.total() + PAGE_SIZE - 1) / PAGE_SIZE));
        model.addAttribute("hasNext", shown.hasNext());
        model.addAllAttributes(fields);
        model.addAttribute("filtered", fields.values().stream().anyMatch(value -> !value.isBlank()));
        model.addAttribute("owner", owner);
        model.addAttribute("admin", account.isAdmin());
        model.addAttribute("errors", errors);
        model.addAttribute("statuses", List.of(ExecutionStatus.values()));
        model.addAttribute("apps", executions.appsRun(account));
        model.addAttribute("live", shown.items().stream().anyMatch(e -> !e.status().isTerminal()));
        return htmx != null ? "executions :: table" : "executions";
    }

    /** Days are the server's, as the times the page writes are. */
    private static ExecutionFilter filter(Map<String, String> fields) {
        return ExecutionFilter.parse(fields.get("status"), fields.get("app"), fields.get("name"), fields.get("input"),
                fields.get("from"), fields.get("to"), ZoneId.systemDefault());
    }
}
