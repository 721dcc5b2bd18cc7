package org.escadrille.server.storage;

/** The configured storage element cannot be used (checked at start): the message says why and what to check. */
public class StorageUnavailableException extends IllegalStateException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
