package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.escadrille.server.ConflictException;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.ServiceBusyException;
import org.slf4j.Logger;
import org.springdoc.api.OpenApiResourceNotFoundException;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where exceptions become HTTP answers: RFC 9457 problem documents whose detail says
 * what to fix. Nothing unexpected leaks: a bug is a 500 with an id to quote, and the trace goes to
 * the log only.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        var problem = problem(HttpStatus.BAD_REQUEST, e.title(), e.getMessage());
        if (!e.problems().isEmpty()) {
            problem.setProperty("errors", e.problems().stream()
                    .map(p -> Map.of("field", p.field(), "message", p.message())).toList());
        }
        return problem;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
    }

    /** Spread over whole seconds, as the overload filter's: callers refused together must not return together. */
    @ExceptionHandler(ServiceBusyException.class)
    ResponseEntity<ProblemDetail> busy(ServiceBusyException e) {
        log.info("answered 503: {}{}", e.getMessage(), e.getCause() == null ? "" : " (" + e.getCause() + ")");
        long seconds = ThreadLocalRandom.current().nextLong(1, 6);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Server busy", e.getMessage()));
    }

    /**
     * The database rolled this request's transaction back to break a deadlock, or a lock it waited for timed out:
     * another write held the same rows at the same moment (a pilot's heartbeat and its completion, under load).
     * What failed was not written, and sent again it goes through: a 503 with Retry-After, not a bug's 500.
     */
    @ExceptionHandler(TransientDataAccessException.class)
    ResponseEntity<ProblemDetail> transientDatabase(TransientDataAccessException e) {
        return busy(new ServiceBusyException("the database could not take this write now (another write held the same rows);"
                + " try again shortly", e));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
    }

    /** springdoc's answer to a document group it does not have ({@code /v3/api-docs/{group}}). */
    @ExceptionHandler(OpenApiResourceNotFoundException.class)
    ProblemDetail noSuchDocument(OpenApiResourceNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", "no such OpenAPI document: they are /rest/openapi.json (CARMIN) "
                + "and /api/v1/openapi.json (the native API)");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid parameter",
                "parameter '" + e.getName() + "' cannot be '" + e.getValue() + "'");
    }

    /**
     * A query string or form that cannot be decoded (broken %-escapes, bytes that are not UTF-8), or whose
     * parameter names the firewall refuses (it checks them only when a handler first reads one).
     */
    @ExceptionHandler({InvalidParameterException.class,
            RequestRejectedException.class})
    ProblemDetail undecodable(Exception e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid parameters",
                "the query string or form cannot be decoded: percent-encode it as UTF-8");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        if (clientWentAway(e)) {
            // A pilot killed during an upload, say: nobody to answer, nothing wrong here, no incident.
            log.info("{} {}: the client went away before the end of its request", request.getMethod(),
                    request.getRequestURI());
            return problem(HttpStatus.BAD_REQUEST, "Incomplete request", "the request ended before its body did");
        }
        String incident = Ids.newId();
        log.error("incident {}: {}", incident, e.toString(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "something went wrong on the server (incident " + incident + "); it is logged. Please report it.");
    }

    private static boolean clientWentAway(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClientAbortException) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            // Spring's message goes on with the handler's Java signature: nothing for the caller
            return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Malformed request body",
                    "the request has no body: send the JSON document this endpoint expects (docs/native-api.md)"));
        }
        var problem = problem(HttpStatus.BAD_REQUEST, "Malformed request body", JsonBodyProblems.describe(e));
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getDetail() == null) {
            problem.setDetail(e.getMessage());
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        var problem = problem(HttpStatus.NOT_FOUND, "Not found", "there is no endpoint " + e.getHttpMethod() + " /"
                + e.getResourcePath() + "; the API is described in docs/native-api.md");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        var problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    static List<Map<String, String>> errors(List<InvalidRequestException.FieldProblem> problems) {
        return problems.stream().map(p -> Map.of("field", p.field(), "message", p.message())).toList();
    }
}
