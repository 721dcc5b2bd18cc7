package org.escadrille.server.carmin;

/**
 * CARMIN's error body. Only these two keys ever: VIP's client takes an answer for an error only when
 * its keys are exactly {@code errorCode} and {@code errorMessage}, so the details go into the message.
 */
record ErrorCodeAndMessage(long errorCode, String errorMessage) {
}
