package org.escadrille.server.portal;

import jakarta.servlet.ServletException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.escadrille.server.ConflictException;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors of the portal's pages become HTML pages, never the API's problem documents: it comes before
 * the API's handler and applies to the portal's controllers only. Another user's execution or file is
 * "not found", like one that does not exist; a bug is a 500 page with an incident id, the trace going to
 * the log only. Forms handle their own validation errors (they show them next to the fields).
 */
@ControllerAdvice(basePackageClasses = PortalExceptionHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortalExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(PortalExceptionHandler.class);

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(NotFoundException e) {
        return ErrorPage.of(HttpStatus.NOT_FOUND, "Not found", capitalized(e.getMessage())
                + ". It may have been deleted, or belong to someone else.");
    }

    @ExceptionHandler(InvalidRequestException.class)
    ModelAndView invalid(InvalidRequestException e) {
        return ErrorPage.of(HttpStatus.BAD_REQUEST, e.title(), capitalized(e.getMessage()) + ".");
    }

    @ExceptionHandler(ConflictException.class)
    ModelAndView conflict(ConflictException e) {
        return ErrorPage.of(HttpStatus.CONFLICT, "Conflict", capitalized(e.getMessage()) + ".");
    }

    /** Something the caller's role does not allow (an owner's filter on the executions list, for one who is not an admin). */
    @ExceptionHandler(AccessDeniedException.class)
    ModelAndView forbidden(AccessDeniedException e) {
        return ErrorPage.of(HttpStatus.FORBIDDEN, "Not allowed", capitalized(e.getMessage()) + ".");
    }

    /** Spring's own refusals (a wrong method, a missing or malformed parameter): the caller's mistake, not a bug. */
    @ExceptionHandler({ServletException.class, TypeMismatchException.class})
    ModelAndView badRequest(Exception e) {
        var status = e instanceof ErrorResponse error ? HttpStatus.resolve(error.getStatusCode().value()) : HttpStatus.BAD_REQUEST;
        status = status == null ? HttpStatus.BAD_REQUEST : status;
        return ErrorPage.of(status, status.getReasonPhrase(), "This address cannot be used this way. The menu above leads to every page.");
    }

    /**
     * A form or query string that cannot be decoded (broken %-escapes, bytes that are not UTF-8), or whose
     * parameter names the firewall refuses (it checks them only when a handler first reads one).
     */
    @ExceptionHandler({InvalidParameterException.class,
            RequestRejectedException.class})
    ModelAndView undecodable(Exception e) {
        return ErrorPage.of(HttpStatus.BAD_REQUEST, "Bad Request",
                "The form could not be read: its characters are not valid UTF-8 or its %-escapes are broken. Reload the page and send it again.");
    }

    @ExceptionHandler(Exception.class)
    ModelAndView unexpected(Exception e) {
        String incident = Ids.newId();
        log.error("incident {}: {}", incident, e.toString(), e);
        return ErrorPage.of(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong",
                "This is a bug on our side, and it is logged. If it happens again, please report it with its incident id.",
                incident);
    }

    static String capitalized(String message) {
        if (message == null || message.isEmpty()) {
            return "";
        }
        return Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
