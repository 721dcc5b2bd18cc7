package org.escadrille.pilot;

/**
 * An attempt cannot succeed for a reason its user must read (an input that does not match its
 * checksum, a missing output, no container runtime): it completes as FAILED with this message.
 */
final class TaskFailedException extends Exception {
    TaskFailedException(String message) {
        super(message, null, false, false);
    }
}
