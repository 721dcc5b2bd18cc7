package org.escadrille.server.portal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in form (Spring Security checks what it posts). While the first admin's password file is
 * still in the data directory, the page says where it is, so that a newcomer can sign in unaided.
 */
@Controller
class LoginPage {
    private final Path adminPasswordFile;

    LoginPage(EscadrilleProperties properties) {
        this.adminPasswordFile = properties.dataDir().resolve("admin.password");
    }

    @GetMapping("/login")
    String login(Authentication authentication, @RequestParam(required = false) String error,
                 @RequestParam(required = false) String logout, @RequestParam(defaultValue = "") String username,
                 Model model) {
        if (authentication != null && authentication.isAuthenticated() && !(authentication instanceof AnonymousAuthenticationToken)) {
            return "redirect:/";
        }
        model.addAttribute("failed", error != null);
        model.addAttribute("loggedOut", logout != null);
        model.addAttribute("username", username);
        model.addAttribute("adminPasswordFile", Files.isRegularFile(adminPasswordFile) ? displayed(adminPasswordFile) : null);
        return "login";
    }

    /** The path as its owner would type it: {@code ~/.escadrille/admin.password} under the home directory. */
    private static String displayed(Path file) {
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath();
        return file.startsWith(home) ? "~/" + home.relativize(file) : file.toString();
    }
}
