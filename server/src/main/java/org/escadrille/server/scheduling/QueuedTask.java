package org.escadrille.server.scheduling;

/**
 * A task waiting for a pilot, as the scheduler holds it in memory.
 *
 * @param attempts    attempts made so far
 * @param failures    attempts that failed on their pilot (the task's own fault, as far as we know)
 * @param losses      attempts lost with their pilot (the infrastructure's fault)
 * @param notBeforeMs a failed task waits (backoff) before it is handed out again
 */
record QueuedTask(NewTask task, int attempts, int failures, int losses, long notBeforeMs) {

    QueuedTask leased() {
        return new QueuedTask(task, attempts + 1, failures, losses, 0);
    }

    QueuedTask failedOnce(long notBeforeMs) {
        return new QueuedTask(task, attempts, failures + 1, losses, notBeforeMs);
    }

    QueuedTask lostOnce() {
        return new QueuedTask(task, attempts, failures, losses + 1, 0);
    }
}
