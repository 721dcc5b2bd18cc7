package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.UserAdministration;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin page's forms on a user (the security chain keeps {@code /admin/**} for admins): their
 * e-mail address, disabling and enabling them, a new password. Each goes back to the admin page with a
 * notice; a refusal (an admin disabling themselves, a bad address or password) is the error page with
 * what to fix. A generated password is shown once, in the notice.
 */
@Controller
class AdminUserForms {
    private final UserAdministration users;

    AdminUserForms(UserAdministration users) {
        this.users = users;
    }

    @PostMapping("/admin/users/email")
    String changeEmail(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam String username,
                       @RequestParam(defaultValue = "") String email, RedirectAttributes redirect, HttpServletRequest request) {
        var changed = users.changeEmail(admin, username, email, request.getRemoteAddr());
        redirect.addFlashAttribute("notice", changed.email() == null ? username + " has no e-mail address now."
                : username + " is mailed at " + changed.email() + " now.");
        return back(redirect, username);
    }

    @PostMapping("/admin/users/enabled")
    String setEnabled(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam String username,
                      @RequestParam boolean enabled, RedirectAttributes redirect, HttpServletRequest request) {
        users.setEnabled(admin, username, enabled, request.getRemoteAddr());
        redirect.addFlashAttribute("notice", enabled ? username + " is enabled: they can sign in and use their API keys again."
                : username + " is disabled: they cannot sign in, their API keys are refused and their sessions ended. "
                + "Their executions go on.");
        return back(redirect, username);
    }

    @PostMapping("/admin/users/password")
    String resetPassword(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam String username,
                         @RequestParam(defaultValue = "") String password, RedirectAttributes redirect,
                         HttpServletRequest request) {
        var reset = users.resetPassword(admin, username, password, request.getRemoteAddr());
        if (reset.generatedPassword() != null) {
            redirect.addFlashAttribute("generatedPassword", reset.generatedPassword());
            redirect.addFlashAttribute("generatedFor", username);
        } else {
            redirect.addFlashAttribute("notice", username + " has the password you chose now; their sessions ended.");
        }
        return back(redirect, username);
    }

    /** The admin page, searched for the user just changed (they are easy to check, even among many). */
    private static String back(RedirectAttributes redirect, String username) {
        redirect.addAttribute("q", username);
        return "redirect:/admin#users-title";
    }
}
