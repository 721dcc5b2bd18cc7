package org.escadrille.protocol;

/**
 * The server's answer to a completion.
 *
 * @param accepted false when the attempt was no longer this pilot's: its result was discarded so
 *                 that no task is counted twice
 */
public record CompletionReceipt(boolean accepted, String message) {
}
