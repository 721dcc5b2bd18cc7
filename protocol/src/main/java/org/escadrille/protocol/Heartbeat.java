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
     * @param checkpoint  events of the newest checkpoint whose files are all uploaded, or 0 for none
     * @param cpuSeconds  CPU seconds its command used so far (sampled), or null: not running, or a pilot
     *                    older than this field
     * @param rssKb       resident memory of its command's processes now (sampled), in KiB, or null likewise
     */
    public record AttemptStatus(String attemptId, Phase phase, long events, long startedAtMs, long checkpoint,
                                Double cpuSeconds, Long rssKb) {
        public AttemptStatus {
            Objects.requireNonNull(attemptId, "attemptId");
            Objects.requireNonNull(phase, "phase");
            if (checkpoint < 0) {
                throw new IllegalArgumentException("checkpoint must not be negative, got " + checkpoint);
            }
        }

        /** An attempt whose resource use is not known. */
        public AttemptStatus(String attemptId, Phase phase, long events, long startedAtMs, long checkpoint) {
            this(attemptId, phase, events, startedAtMs, checkpoint, null, null);
        }

        /** An attempt without checkpoint. */
        public AttemptStatus(String attemptId, Phase phase, long events, long startedAtMs) {
            this(attemptId, phase, events, startedAtMs, 0);
        }
    }

    /** Where an attempt is in its life on the pilot. */
    public enum Phase { STAGING, RUNNING, UPLOADING }
}
