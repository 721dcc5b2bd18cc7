package org.escadrille.server.carmin;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An upload in a form that would not store the file as sent (a 415). */
final class UnsupportedUploadException extends ErrorResponseException {
    UnsupportedUploadException(String message) {
        super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, message), null);
    }
}
