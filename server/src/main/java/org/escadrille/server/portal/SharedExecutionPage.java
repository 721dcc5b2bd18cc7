package org.escadrille.server.portal;

import org.escadrille.server.execution.ExecutionService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * What a shared link shows to whoever holds it, signed in or not: the execution read-only, its inputs
 * and its outputs to download. A revoked or unknown link is the not-found page.
 */
@Controller
class SharedExecutionPage {
    private final ExecutionService executions;

    SharedExecutionPage(ExecutionService executions) {
        this.executions = executions;
    }

    @GetMapping("/shared/{token}")
    String page(@PathVariable String token, Model model) {
        model.addAttribute("e", executions.readShared(token));
        model.addAttribute("token", token);
        return "shared";
    }
}
