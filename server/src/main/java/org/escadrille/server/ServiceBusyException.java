package org.escadrille.server;

/**
 * The server cannot do this now but should shortly (a 503 with {@code Retry-After}): a batch of database
 * writes that failed under load, say. Callers that follow the protocol send the request again.
 */
public class ServiceBusyException extends RuntimeException {
    public ServiceBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
