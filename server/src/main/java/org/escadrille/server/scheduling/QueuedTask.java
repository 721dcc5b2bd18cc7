package org.escadrille.server.scheduling;

/**
 * A task waiting for a pilot, as the scheduler holds it in memory.
 *
 * @param attempts   attempts made so far
 * @param notBeforeMs a failed task waits (backoff) before it is handed out again
 */
record QueuedTask(NewTask task, int attempts, long notBeforeMs) {

    QueuedTask retried(long notBeforeMs) {
        return new QueuedTask(task, attempts, notBeforeMs);
    }

    QueuedTask leased() {
        return new QueuedTask(task, attempts + 1, 0);
    }
}
