package org.escadrille.server.carmin;

import java.util.List;
import org.springframework.http.HttpStatusCode;

/**
 * The error codes of CARMIN's answers: the HTTP status times 100, except VIP's own {@code 40101} for a
 * missing, unknown, revoked or expired API key (VIP's client tells a bad key by it) and {@code 40102}
 * for a wrong user name or password. Listed by {@code GET /rest/platform}.
 */
final class ErrorCodes {
    static final long BAD_API_KEY = 40101;
    static final long BAD_CREDENTIALS = 40102;

    private ErrorCodes() {
    }

    static long of(HttpStatusCode status) {
        return status.value() * 100L;
    }

    /** What each code means, for the platform's description. */
    static List<ErrorCodeAndMessage> all() {
        return List.of(
                new ErrorCodeAndMessage(40000, "invalid request: the message says what to fix"),
                new ErrorCodeAndMessage(BAD_API_KEY, "missing, unknown, revoked or expired API key"),
                new ErrorCodeAndMessage(BAD_CREDENTIALS, "wrong user name or password"),
                new ErrorCodeAndMessage(40300, "not allowed"),
                new ErrorCodeAndMessage(40400, "not found (another user's execution or path is not found either)"),
                new ErrorCodeAndMessage(40500, "method not allowed"),
                new ErrorCodeAndMessage(40900, "conflict with the object's state"),
                new ErrorCodeAndMessage(41300, "too large"),
                new ErrorCodeAndMessage(41500, "unsupported content type"),
                new ErrorCodeAndMessage(42900, "too many requests: wait as Retry-After says"),
                new ErrorCodeAndMessage(50000, "internal error: quote the incident id of the message"),
                new ErrorCodeAndMessage(50300, "overloaded: retry later"));
    }
}
