package org.escadrille.pilot;

/**
 * The server (or the host of a signed URL) refused a request for good, with a status that a retry
 * will not change (400, 413, 422, …): the message says which request and what the server answered.
 */
class RequestRefusedException extends RuntimeException {
    RequestRefusedException(String message) {
        super(message, null, false, false);
    }
}
