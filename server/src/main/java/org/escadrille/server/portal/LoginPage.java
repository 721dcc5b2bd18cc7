package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.account.OidcProviders;
import org.escadrille.server.account.OidcSignIn;
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
 * password was right), and a session an admin ended (disabled, new password) says why it ended. With
 * OpenID providers configured it offers a button for each, and says why a sign-in through one ended here.
 */
@Controller
class LoginPage {
    private final Path adminPasswordFile;
    private final OidcProviders providers;

    LoginPage(EscadrilleProperties properties, OidcProviders providers) {
        this.adminPasswordFile = properties.dataDir().resolve("admin.password");
        this.providers = providers;
    }

    /** Why a sign-in through an OpenID provider ended here, and what to do: title and sentence. */
    record OidcProblem(String title, String text) {
    }

    private static final Map<String, OidcProblem> OIDC_PROBLEMS = Map.of(
            OidcSignIn.PENDING, new OidcProblem("Your account waits for approval",
                    "Your institution signed you in and your account is made, but an administrator has to approve it "
                            + "before you can use Escadrille. Sign in again once they have."),
            OidcSignIn.NOT_ACCEPTED, new OidcProblem("Your institution is not accepted here",
                    "The identity provider you signed in with is not one this gateway accepts. Use another button below, "
                            + "or ask an administrator."),
            OidcSignIn.UNKNOWN_PROVIDER, new OidcProblem("No such institutional sign-in",
                    "This gateway offers no sign-in through that provider: use one of the buttons below."),
            OidcSignIn.UNREACHABLE, new OidcProblem("Your institution cannot be reached",
                    "Its sign-in service does not answer now: try again in a while, or sign in with a password."),
            OidcSignIn.FAILED, new OidcProblem("Institutional sign-in failed",
                    "Its answer could not be accepted (it was too old, did not match this browser's request, or was "
                            + "refused): start again from the button below."));

    @GetMapping("/login")
    String login(Authentication authentication, @RequestParam(required = false) String error,
                 @RequestParam(required = false) String logout, @RequestParam(required = false) String disabled,
                 @RequestParam(required = false) String ended, @RequestParam(defaultValue = "") String username,
                 @RequestParam(required = false) String oidc,
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
        model.addAttribute("oidcProviders", providers.buttons());
        model.addAttribute("oidcProblem", oidc == null ? null : OIDC_PROBLEMS.getOrDefault(oidc, OIDC_PROBLEMS.get(OidcSignIn.FAILED)));
        return "login";
    }
}
