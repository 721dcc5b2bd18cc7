package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Requests that reach no controller (an unknown page, a wrong method) outside {@code /api}: an HTML
 * error page for people. Under {@code /api} they are left to the API's handler, whose problem
 * documents say which endpoints exist. Controllers' own errors are {@link PortalExceptionHandler}'s.
 */
@Component
class UnknownPageResolver implements HandlerExceptionResolver, Ordered {

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception exception) {
        if (handler instanceof HandlerMethod || request.getRequestURI().startsWith("/api/")
                || !(exception instanceof ErrorResponse error)) {
            return null;
        }
        var status = HttpStatus.resolve(error.getStatusCode().value());
        if (status == HttpStatus.NOT_FOUND) {
            return ErrorPage.of(status, "Page not found", "There is no page at " + request.getRequestURI()
                    + ". The menu above leads to every page.");
        }
        return ErrorPage.of(status == null ? HttpStatus.BAD_REQUEST : status,
                status == null ? "Bad request" : status.getReasonPhrase(), "This address cannot be used this way.");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
