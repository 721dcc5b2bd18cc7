package org.escadrille.server.portal;

import java.util.HashMap;
import java.util.Map;
import org.escadrille.server.account.SignedInUser;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.ModelAndView;

/** The portal's error page: a status, a title, what to do next, and for a bug the incident id to quote. */
final class ErrorPage {
    private ErrorPage() {
    }

    static ModelAndView of(HttpStatus status, String title, String detail) {
        return of(status, title, detail, null);
    }

    static ModelAndView of(HttpStatus status, String title, String detail, String incident) {
        var model = new HashMap<String, Object>(Map.of("status", status.value(), "title", title,
                "detail", detail == null ? "" : detail));
        if (incident != null) {
            model.put("incident", incident);
        }
        // the header shows the menu when someone is signed in
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user) {
            model.put("me", user.account());
        }
        return new ModelAndView("error", model, status);
    }
}
