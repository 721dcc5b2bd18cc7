package org.escadrille.cli.transfer;

/** The server sent something that must not be written: a file whose SHA-256 differs, or a path leaving the target. */
public final class IntegrityException extends RuntimeException {
    public IntegrityException(String message) {
        super(message);
    }
}
