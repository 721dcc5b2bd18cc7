package org.escadrille.cli;

/** A setting cannot be used as given (a malformed URL in the environment, say); the message says what to write. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
