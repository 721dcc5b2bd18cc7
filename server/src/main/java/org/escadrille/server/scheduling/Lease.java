package org.escadrille.server.scheduling;

/**
 * A task on loan to a pilot until {@code deadlineMs}, which each heartbeat pushes back. Mutable, and
 * held by {@link SchedulerState}: only touched under its lock.
 */
final class Lease {
    final String attemptId;
    final QueuedTask task;
    final String pilotId;
    final String host;
    long deadlineMs;
    long startedAtMs;
    long events = -1;
    /** Events of the newest checkpoint its pilot reported, or 0. */
    long checkpoint;
    /** What its command uses, from the latest heartbeat that said (older pilots do not), or null. */
    LiveUsage usage;
    /** Set when it expires while another attempt of its task won or still runs: only the attempt is recorded. */
    boolean replicaOnly;

    Lease(String attemptId, QueuedTask task, String pilotId, String host, long deadlineMs) {
        this.attemptId = attemptId;
        this.task = task;
        this.pilotId = pilotId;
        this.host = host;
        this.deadlineMs = deadlineMs;
    }

    /** What runs: the task's permanent definition. */
    TaskDefinition definition() {
        return task.definition();
    }
}
