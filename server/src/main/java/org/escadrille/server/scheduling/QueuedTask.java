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
record QueuedTask(NewTask task, int attempts, int failures, int losses, long notBeforeMs, String avoidPilot, long avoidUntilMs) {

    QueuedTask(NewTask task, int attempts, int failures, int losses, long notBeforeMs) {
        this(task, attempts, failures, losses, notBeforeMs, null, 0);
    }

    /** Whether it may go to {@code pilotId} at {@code now}. */
    boolean eligible(String pilotId, long now) {
        return notBeforeMs <= now && (avoidPilot == null || !avoidPilot.equals(pilotId) || now >= avoidUntilMs);
    }

    QueuedTask leased() {
        return new QueuedTask(task, attempts + 1, failures, losses, 0, null, 0);
    }

    /** Failed on {@code pilotId}: retried after the backoff, elsewhere if another pilot takes it within a while. */
    QueuedTask failedOnce(long notBeforeMs, String pilotId) {
        return new QueuedTask(task, attempts, failures + 1, losses, notBeforeMs, pilotId, notBeforeMs + 10_000);
    }

    QueuedTask lostOnce() {
        return new QueuedTask(task, attempts, failures, losses + 1, 0, null, 0);
    }

    /** A second attempt of a straggler, on any pilot but the one running the first. */
    QueuedTask replicaAvoiding(String pilotId, long now) {
        return new QueuedTask(task, attempts, failures, losses, 0, pilotId, Long.MAX_VALUE);
    }
}
