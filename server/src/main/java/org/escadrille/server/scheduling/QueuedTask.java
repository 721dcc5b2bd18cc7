package org.escadrille.server.scheduling;

/**
 * A task waiting for a pilot, as the scheduler holds it in memory.
 *
 * @param attempts    attempts made so far
 * @param failures    attempts that failed on their pilot (the task's own fault, as far as we know)
 * @param losses      attempts lost with their pilot (the infrastructure's fault)
 * @param notBeforeMs a failed task waits (backoff) before it is handed out again
 * @param avoidPilot  a pilot it should not go back to (it failed there, or it is a replica of an
 *                    attempt running there) until {@code avoidUntilMs}; null for none
 */
record QueuedTask(TaskDefinition definition, int attempts, int failures, int losses, int unstartedLosses, long notBeforeMs,
                  String avoidPilot, long avoidUntilMs) {

    QueuedTask(TaskDefinition definition, int attempts, int failures, int losses, int unstartedLosses, long notBeforeMs) {
        this(definition, attempts, failures, losses, unstartedLosses, notBeforeMs, null, 0);
    }

    /** Whether it may go to {@code pilotId} at {@code now}. */
    boolean eligible(String pilotId, long now) {
        return notBeforeMs <= now && (avoidPilot == null || !avoidPilot.equals(pilotId) || now >= avoidUntilMs);
    }

    QueuedTask leased() {
        return new QueuedTask(definition, attempts + 1, failures, losses, unstartedLosses, 0, null, 0);
    }

    /** Failed on {@code pilotId}: retried after the backoff, elsewhere if another pilot takes it within a while. */
    QueuedTask failedOnce(long notBeforeMs, String pilotId) {
        return new QueuedTask(definition, attempts, failures + 1, losses, unstartedLosses, notBeforeMs, pilotId, notBeforeMs + 10_000);
    }

    /**
     * Lost with its pilot. An attempt that had not started (it waited in the pilot's queue) says even
     * less about the task than one that ran, and a pilot killed with a queue of tiny tasks loses dozens
     * at once: such losses have their own, larger allowance.
     */
    QueuedTask lostOnce(boolean started) {
        return started ? new QueuedTask(definition, attempts, failures, losses + 1, unstartedLosses, 0, null, 0)
                : new QueuedTask(definition, attempts, failures, losses, unstartedLosses + 1, 0, null, 0);
    }

    /** A second attempt of a straggler, on any pilot but the one running the first. */
    QueuedTask replicaAvoiding(String pilotId, long now) {
        return new QueuedTask(definition, attempts, failures, losses, unstartedLosses, 0, pilotId, Long.MAX_VALUE);
    }
}
