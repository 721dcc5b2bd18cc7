package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/** Where Spring Security forwards a refused request: a page saying why, and what to do. */
@Controller
class ForbiddenPage {

    @RequestMapping("/forbidden")
    ModelAndView forbidden(HttpServletRequest request) {
        if (request.getAttribute(WebAttributes.ACCESS_DENIED_403) instanceof CsrfException) {
            return ErrorPage.of(HttpStatus.FORBIDDEN, "This form has expired",
                    "The page was open for too long, or you signed in again since. Go back, reload the page and send it again.");
        }
        return ErrorPage.of(HttpStatus.FORBIDDEN, "Not allowed", "This page is for administrators.");
    }
}
