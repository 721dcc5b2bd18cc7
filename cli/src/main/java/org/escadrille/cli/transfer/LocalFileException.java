package org.escadrille.cli.transfer;

/** A local file could not be read or written: a person's fix (permissions, disk space, a wrong path). */
public final class LocalFileException extends RuntimeException {
    public LocalFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
