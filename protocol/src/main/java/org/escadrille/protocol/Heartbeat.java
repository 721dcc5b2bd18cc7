package org.escadrille.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One heartbeat for all of a pilot's attempts (never one per task): it extends their leases and
 * relays their progress.
 */
public record Heartbeat(List<AttemptStatus> attempts, int freeSlots) {

    public Heartbeat {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /**
     * What one attempt is doing.
     *
     * @param phase   STAGING (downloading inputs), RUNNING, or UPLOADING
     * @param events  events done so far for a task with a {@link TaskAssignment.ProgressSpec}, else -1
     * @param startedAtMs when the command started (epoch ms), or 0 while staging
     */
    public record AttemptStatus(String attemptId, Phase phase, long events, long startedAtMs) {
        public AttemptStatus {
            Objects.requireNonNull(attemptId, "attemptId");
            Objects.requireNonNull(phase, "phase");
        }
    }

    /** Where an attempt is in its life on the pilot. */
    public enum Phase { STAGING, RUNNING, UPLOADING }
}
