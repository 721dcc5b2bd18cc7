package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.escadrille.server.ConflictException;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * For developers and admins (the security chain checks the role): publish a Boutiques descriptor, pasted
 * or read from a file in the browser, through the catalogue's own validation (the API's); a refused one
 * comes back with each problem next to the line of the field it concerns. Below, the versions they
 * published (every version, for an admin), which they delete (erased, or withdrawn when executions refer to
 * it, as the API does) or list again.
 */
@Controller
class PublishPage {
    private final Catalog catalog;
    private final AuditLog audit;

    PublishPage(Catalog catalog, AuditLog audit) {
        this.catalog = catalog;
        this.audit = audit;
    }

    @GetMapping("/publish")
    String page(@AuthenticationPrincipal(expression = "account") Account account, Model model) {
        return page(account, model, "", null);
    }

    @PostMapping("/publish")
    String publish(@AuthenticationPrincipal(expression = "account") Account account,
                   @RequestParam(defaultValue = "") String descriptor, Model model, RedirectAttributes redirect,
                   HttpServletRequest request, HttpServletResponse response) {
        if (descriptor.isBlank()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return page(account, model, descriptor, new Refusal("Nothing to publish",
                    "Paste a Boutiques descriptor (JSON) in the box, or choose its file.", null));
        }
        try {
            Application app = catalog.publish(descriptor, account);
            audit.record(account.username(), "application-published", app.name() + " " + app.version() + " ("
                    + app.digest() + ")", request.getRemoteAddr());
            redirect.addFlashAttribute("notice", "Published " + app.name() + " " + app.version()
                    + ": it is in the catalogue now.");
            return "redirect:/publish";
        } catch (InvalidRequestException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            var problems = e.problems().isEmpty()
                    ? List.of(new InvalidRequestException.FieldProblem("descriptor", e.getMessage())) : e.problems();
            return page(account, model, descriptor, new Refusal(e.title(), problems.size() == 1 ? "1 problem to fix."
                    : problems.size() + " problems to fix.", DescriptorReview.of(descriptor, problems)));
        } catch (ConflictException e) {
            response.setStatus(HttpServletResponse.SC_CONFLICT);
            return page(account, model, descriptor, new Refusal("Already published",
                    PortalExceptionHandler.capitalized(e.getMessage()) + ".", null));
        }
    }

    /** Deletes a version: erased, or withdrawn when executions refer to it (they keep its descriptor). */
    @PostMapping("/publish/delete")
    String delete(@AuthenticationPrincipal(expression = "account") Account account, @RequestParam String name,
                  @RequestParam String version, RedirectAttributes redirect, HttpServletRequest request) {
        catalog.managed(name, version, account);
        boolean erased = catalog.delete(name, version, account);
        audit.record(account.username(), erased ? "application-erased" : "application-withdrawn", name + " " + version,
                request.getRemoteAddr());
        redirect.addFlashAttribute("notice", name + " " + version + (erased ? " is deleted."
                : " is withdrawn: it left the catalogue, and the executions that used it keep its descriptor."));
        return "redirect:/publish";
    }

    /** Lists a withdrawn version again: publishing its very descriptor again does that. */
    @PostMapping("/publish/relist")
    String relist(@AuthenticationPrincipal(expression = "account") Account account, @RequestParam String name,
                  @RequestParam String version, RedirectAttributes redirect, HttpServletRequest request) {
        var app = catalog.publish(catalog.managed(name, version, account).descriptorJson(), account);
        audit.record(account.username(), "application-published", app.name() + " " + app.version() + " ("
                + app.digest() + ")", request.getRemoteAddr());
        redirect.addFlashAttribute("notice", name + " " + version + " is in the catalogue again.");
        return "redirect:/publish";
    }

    /** Why a descriptor was not published; {@code review} holds its problems, line by line, when it was read. */
    record Refusal(String title, String summary, DescriptorReview review) {
    }

    private String page(Account account, Model model, String descriptor, Refusal refusal) {
        model.addAttribute("descriptor", descriptor);
        model.addAttribute("refusal", refusal);
        model.addAttribute("versions", catalog.versionsManagedBy(account));
        model.addAttribute("everyone", account.isAdmin());
        return "publish";
    }
}
