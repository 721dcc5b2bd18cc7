package org.escadrille.server.carmin;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.escadrille.server.ConflictException;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.ServiceBusyException;
import org.escadrille.server.account.SignInHandlers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Exceptions of the CARMIN controllers as CARMIN's {@code ErrorCodeAndMessage} (the native API keeps its
 * problem documents): the same statuses as the native API, the codes of {@link ErrorCodes}, and a
 * message that says what to fix. A bug is a 500 with an incident id; the trace goes to the log only.
 */
@RestControllerAdvice(basePackageClasses = CarminExceptionHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class CarminExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(CarminExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ErrorCodeAndMessage> invalid(InvalidRequestException e) {
        String message = e.getMessage();
        if (!e.problems().isEmpty()) {
            message += " (" + e.problems().stream().map(p -> p.field() + ": " + p.message())
                    .collect(Collectors.joining("; ")) + ")";
        }
        return error(HttpStatus.BAD_REQUEST, message);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ErrorCodeAndMessage> notFound(NotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ErrorCodeAndMessage> conflict(ConflictException e) {
        return error(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ErrorCodeAndMessage> forbidden(AccessDeniedException e) {
        return error(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(WrongCredentialsException.class)
    ResponseEntity<ErrorCodeAndMessage> wrongCredentials(WrongCredentialsException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorCodeAndMessage(ErrorCodes.BAD_CREDENTIALS, e.getMessage()));
    }

    @ExceptionHandler(SignInHandlers.TooManySignInsException.class)
    ResponseEntity<ErrorCodeAndMessage> tooMany(SignInHandlers.TooManySignInsException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(e.seconds()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorCodeAndMessage(ErrorCodes.of(HttpStatus.TOO_MANY_REQUESTS), e.getMessage()));
    }

    /**
     * The server could not take the request now (a bound of its writers, or the database failing a write to break a
     * deadlock or after a lock wait): nothing of it was written, and sent again it goes through. As the native API
     * answers, spread over whole seconds so that callers refused together do not return together.
     */
    @ExceptionHandler({ServiceBusyException.class, TransientDataAccessException.class})
    ResponseEntity<ErrorCodeAndMessage> busy(RuntimeException e) {
        log.info("answered 503: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", Long.toString(ThreadLocalRandom.current().nextLong(1, 6)))
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorCodeAndMessage(ErrorCodes.of(HttpStatus.SERVICE_UNAVAILABLE),
                        "the server could not take this request now; send it again after Retry-After seconds"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorCodeAndMessage> typeMismatch(MethodArgumentTypeMismatchException e) {
        return error(HttpStatus.BAD_REQUEST, "parameter '" + e.getName() + "' cannot be '" + e.getValue() + "'");
    }

    /**
     * A query string that cannot be decoded (broken %-escapes, bytes that are not UTF-8), or parameter names
     * the firewall refuses (checked only when a handler first reads one).
     */
    @ExceptionHandler({InvalidParameterException.class, RequestRejectedException.class})
    ResponseEntity<ErrorCodeAndMessage> undecodable(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "the query string cannot be decoded: percent-encode it as UTF-8");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorCodeAndMessage> unreadable(HttpMessageNotReadableException e) {
        String message = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
                ? "the request has no body: send the JSON document of CARMIN's specification for this operation"
                : "the body is not the JSON document this operation expects (CARMIN 0.3.1): " + shortCause(e);
        return error(HttpStatus.BAD_REQUEST, message);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorCodeAndMessage> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse known) {
            // Spring's own refusals (missing parameter, unsupported media type, ...): their status and words
            String detail = known.getBody().getDetail();
            return error(known.getStatusCode(), detail == null ? e.getMessage() : detail);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClientAbortException) {
                log.info("{} {}: the client went away before the end of its request", request.getMethod(),
                        request.getRequestURI());
                return error(HttpStatus.BAD_REQUEST, "the request ended before its body did");
            }
        }
        String incident = Ids.newId();
        log.error("incident {}: {}", incident, e.toString(), e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR,
                "something went wrong on the server (incident " + incident + "); it is logged. Please report it.");
    }

    static ResponseEntity<ErrorCodeAndMessage> error(HttpStatusCode status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorCodeAndMessage(ErrorCodes.of(status), message));
    }

    /** The innermost cause's first line, without Jackson's source excerpt. */
    private static String shortCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int cut = message.indexOf('\n');
        message = cut < 0 ? message : message.substring(0, cut);
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
