package org.escadrille.server;

/** The request is well formed but clashes with the current state (a 409): e.g. a version already published. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
