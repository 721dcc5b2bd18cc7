package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.account.SignInHandlers;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in form (Spring Security checks what it posts). While the first admin's password file is
 * still in the data directory, the page says so (never where: visitors are anonymous), so that a
 * newcomer who runs the server can sign in unaided. After too many failed tries it says how long to
 * wait (the security layer answered 429 with Retry-After). A disabled account is told so (only once its
 * password was right), and a session an admin ended (disabled, new password) says why it ended.
 */
@Controller
class LoginPage {
    private final Path adminPasswordFile;

    LoginPage(EscadrilleProperties properties) {
        this.adminPasswordFile = properties.dataDir().resolve("admin.password");
    }

    @GetMapping("/login")
    String login(Authentication authentication, @RequestParam(required = false) String error,
                 @RequestParam(required = false) String logout, @RequestParam(required = false) String disabled,
                 @RequestParam(required = false) String ended, @RequestParam(defaultValue = "") String username,
                 HttpServletRequest request, Model model) {
        if (authentication != null && authentication.isAuthenticated() && !(authentication instanceof AnonymousAuthenticationToken)) {
            return "redirect:/";
        }
        Object wait = request.getAttribute(SignInHandlers.WAIT_SECONDS);
        model.addAttribute("waitSeconds", wait);
        model.addAttribute("failed", error != null && wait == null);
        model.addAttribute("loggedOut", logout != null);
        model.addAttribute("disabled", disabled != null && wait == null);
        model.addAttribute("ended", ended != null);
        model.addAttribute("username", wait != null ? "" : username);
        model.addAttribute("firstAdmin", Files.isRegularFile(adminPasswordFile));
        return "login";
    }
}
