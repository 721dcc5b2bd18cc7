package org.escadrille.pilot;

/**
 * The server no longer counts an attempt as this pilot's (404, 409 or 410 on an attempt endpoint,
 * or on the pilot's own endpoints when the server forgot the pilot): its work is to be dropped quietly.
 */
final class AttemptGoneException extends RuntimeException {
    AttemptGoneException(String message) {
        super(message, null, false, false);
    }
}
