package org.escadrille.protocol;

import java.util.Objects;

/** An order for one attempt, carried by a heartbeat reply. */
public record Order(String attemptId, Kind kind) {

    public Order {
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(kind, "kind");
    }

    /** What the pilot must do. */
    public enum Kind {
        /** The user killed the execution, or another replica won: kill the process, upload nothing. */
        CANCEL,
        /** A Monte-Carlo total is reached: ask the tool to stop, then upload its partial result. */
        STOP,
        /** The lease is no longer this pilot's (it expired and the task was requeued): drop it. */
        ABANDON
    }
}
