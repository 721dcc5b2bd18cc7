package org.escadrille.pilot;

/**
 * The server could not be reached or answered that it is temporarily unable to (a refused
 * connection, a timeout, a 5xx or 429): the request may be retried as it is.
 */
final class ServerUnreachableException extends RuntimeException {
    ServerUnreachableException(String message) {
        super(message, null, false, false);
    }
}
