package org.escadrille.server.scheduling;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A pilot sent more than a limit allows (a 413 problem document whose detail names the limit and its setting). */
final class TooLargeException extends ErrorResponseException {
    private static final HttpStatusCode CONTENT_TOO_LARGE = HttpStatusCode.valueOf(413);

    TooLargeException(String detail) {
        super(CONTENT_TOO_LARGE, problem(detail), null);
    }

    private static ProblemDetail problem(String detail) {
        var problem = ProblemDetail.forStatusAndDetail(CONTENT_TOO_LARGE, detail);
        problem.setTitle("Content too large");
        return problem;
    }
}
