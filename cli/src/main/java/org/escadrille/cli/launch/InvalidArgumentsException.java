package org.escadrille.cli.launch;

/** The arguments of a launch cannot be understood: the message says which one and what to write instead. */
public final class InvalidArgumentsException extends RuntimeException {
    public InvalidArgumentsException(String message) {
        super(message);
    }

    public InvalidArgumentsException(String message, Throwable cause) {
        super(message, cause);
    }
}
