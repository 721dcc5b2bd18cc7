package org.escadrille.protocol;

import java.util.Objects;

/**
 * How an attempt ended, sent once its outputs are uploaded. Sending it again is harmless: the
 * server takes the first and answers the same for the others.
 *
 * @param message what went wrong, for a person (a missing output, a time limit, a signal), or null
 */
public record Completion(
        Outcome outcome,
        int exitCode,
        String message,
        long startedAtMs,
        long endedAtMs,
        long events,
        ResourceUsage usage) {

    public Completion {
        Objects.requireNonNull(outcome, "outcome");
        usage = usage == null ? ResourceUsage.NONE : usage;
    }

    /** The end states of an attempt as a pilot sees them. */
    public enum Outcome {
        SUCCEEDED, FAILED, CANCELLED,
        /** Told to stop early (Monte-Carlo) and did, with a partial result: a success. */
        STOPPED
    }
}
