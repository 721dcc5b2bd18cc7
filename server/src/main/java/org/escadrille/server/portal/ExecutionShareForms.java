package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionShares;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The execution page's sharing panel (its owner's): share read-only with one of their groups or by a
 * link, shown once, and revoke. Another user's execution is a 404, as on the page itself.
 */
@Controller
class ExecutionShareForms {
    private final ExecutionShares shares;

    ExecutionShareForms(ExecutionShares shares) {
        this.shares = shares;
    }

    @PostMapping("/executions/{id}/shares")
    String share(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                 @RequestParam(defaultValue = "") String group, @RequestParam(defaultValue = "false") boolean link,
                 RedirectAttributes redirect, HttpServletRequest request) {
        if (link) {
            var share = shares.shareByLink(account, id, request.getRemoteAddr());
            redirect.addFlashAttribute("newLink", ServletUriComponentsBuilder.fromContextPath(request)
                    .path("/shared/" + share.token()).build().toUriString());
        } else {
            shares.shareWithGroup(account, id, group.strip(), request.getRemoteAddr());
            redirect.addFlashAttribute("shareNotice", "Shared read-only with " + group.strip() + ".");
        }
        return "redirect:/executions/" + id + "#sharing";
    }

    @PostMapping("/executions/{id}/shares/revoke")
    String revoke(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                  @RequestParam(defaultValue = "") String group, @RequestParam(defaultValue = "false") boolean link,
                  RedirectAttributes redirect, HttpServletRequest request) {
        shares.revoke(account, id, link ? null : group.strip(), request.getRemoteAddr());
        redirect.addFlashAttribute("shareNotice", link ? "Every link to this execution is revoked." : "No longer shared with "
                + group.strip() + ".");
        return "redirect:/executions/" + id + "#sharing";
    }
}
