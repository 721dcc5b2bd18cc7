package org.escadrille.server.storage;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A write that would take a user past their storage quota: a 413 problem document saying what is used
 * and what is allowed. Nothing already stored is touched.
 */
public class StorageQuotaExceededException extends ErrorResponseException {
    private static final HttpStatusCode CONTENT_TOO_LARGE = HttpStatusCode.valueOf(413);

    StorageQuotaExceededException(String what, StorageUsage usage) {
        super(CONTENT_TOO_LARGE, problem(what, usage), null);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }

    private static ProblemDetail problem(String what, StorageUsage usage) {
        var problem = ProblemDetail.forStatusAndDetail(CONTENT_TOO_LARGE, what + " would pass your storage quota: "
                + usage.usedBytes() + " bytes used of " + usage.quotaBytes() + " allowed (" + usage.freeBytes()
                + " free). Delete files you no longer need, or ask an administrator for a larger quota.");
        problem.setTitle("Storage quota exceeded");
        problem.setProperty("usedBytes", usage.usedBytes());
        problem.setProperty("quotaBytes", usage.quotaBytes());
        return problem;
    }
}
