package org.escadrille.server;

/**
 * Something the caller asked for does not exist, or is not theirs: both are a 404, so that another
 * user's objects are never revealed.
 */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
