package org.escadrille.server.portal;

import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.execution.ExecutionService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The first page after signing in: what to do next, and the latest executions. */
@Controller
class HomePage {
    private final ExecutionService executions;
    private final Catalog catalog;

    HomePage(ExecutionService executions, Catalog catalog) {
        this.executions = executions;
        this.catalog = catalog;
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal(expression = "account") Account account, Model model) {
        model.addAttribute("recent", executions.list(account, 0, 5).items());
        model.addAttribute("apps", catalog.latestOfEach(account));
        return "home";
    }
}
