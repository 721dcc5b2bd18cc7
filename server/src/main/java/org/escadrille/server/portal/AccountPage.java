package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletResponse;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The signed-in user's account: who they are, and their API keys (create one, shown once; revoke). */
@Controller
class AccountPage {
    private final AccountService accounts;

    AccountPage(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/account")
    String account(@AuthenticationPrincipal(expression = "account") Account account, Model model) {
        return page(account, model, "");
    }

    @PostMapping("/account/keys")
    String create(@AuthenticationPrincipal(expression = "account") Account account, @RequestParam(defaultValue = "") String label,
                  Model model, RedirectAttributes redirect, HttpServletResponse response) {
        try {
            String key = accounts.newApiKey(account, label);
            redirect.addFlashAttribute("newKey", key);
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
                  RedirectAttributes redirect) {
        accounts.revokeApiKey(account, id);
        redirect.addFlashAttribute("notice", "The key is revoked: programs using it can no longer sign in.");
        return "redirect:/account";
    }

    private String page(Account account, Model model, String label) {
        model.addAttribute("me", account);
        model.addAttribute("keys", accounts.apiKeys(account));
        model.addAttribute("label", label);
        return "account";
    }
}
