package org.escadrille.pilot;

/** The server refused the pilot's token (401 or 403): nothing this pilot sends will be accepted any more. */
final class TokenRejectedException extends RuntimeException {
    TokenRejectedException(String message) {
        super(message, null, false, false);
    }
}
