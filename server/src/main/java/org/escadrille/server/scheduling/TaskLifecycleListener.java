package org.escadrille.server.scheduling;

/**
 * Told when a task starts running or ends for good, so that the engine can move its execution along.
 * The scheduler calls it outside its lock.
 */
public interface TaskLifecycleListener {
    void taskStarted(String executionId);

    void taskEnded(String executionId, String taskId);

    /** A running task's progress, from its pilot's heartbeat (tasks that report events only). */
    default void progress(String executionId, String taskId, long events) {
    }
}
