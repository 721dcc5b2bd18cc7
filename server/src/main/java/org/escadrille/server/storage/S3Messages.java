package org.escadrille.server.storage;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What an S3 store said, in its own words (error code, message, HTTP status), for operators' logs and start-up errors. */
final class S3Messages {
    private S3Messages() {
    }

    static String of(SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            var details = s3.awsErrorDetails();
            String code = details.errorCode() == null ? "" : details.errorCode();
            String message = details.errorMessage() == null ? "" : details.errorMessage();
            String said = (code + (code.isEmpty() || message.isEmpty() ? "" : ": ") + message).strip();
            // A HEAD has no body: the status is all the store says.
            return (said.isEmpty() ? describe(s3.statusCode()) : said) + " (HTTP " + s3.statusCode() + ")";
        }
        return e.getMessage();
    }

    private static String describe(int status) {
        return switch (status) {
            case 301 -> "the bucket is in another region or needs another endpoint";
            case 400 -> "bad request";
            case 403 -> "access denied: wrong access key or secret, or no right on the bucket";
            case 404 -> "no such bucket";
            default -> "the store answered " + status;
        };
    }
}
