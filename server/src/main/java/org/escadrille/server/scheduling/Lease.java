package org.escadrille.server.scheduling;

/**
 * A task on loan to a pilot until {@code deadlineMs}, which each heartbeat pushes back. Mutable, and
 * held by {@link SchedulerState}: only touched under its lock, but for {@link #outputsStaged}.
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
    /**
     * Its pilot said the command has ended (phase {@code UPLOADING}: its outputs going up, or its report waiting to
     * be taken). Such an attempt is no straggler, however late its report: a replica would run again what is done,
     * and under overload, when completions are shed for a minute, that doubled the work of a server already short of it.
     */
    boolean commandEnded;
    /** Set when it expires while another attempt of its task won or still runs: only the attempt is recorded. */
    boolean replicaOnly;
    /**
     * Whether the attempt may have put outputs in its staging area: its pilot asked to upload one (set before the
     * upload or its URL is answered), or the lease was recovered after a restart, when nobody can tell. Only then
     * does its ending look there, which on S3 is a request to the store per completion (issue 14: at 1,000
     * pilots reading one input, those listings held completions past the pilots' 30 s time-outs). Set by request
     * threads outside the scheduler's lock; never cleared.
     */
    volatile boolean outputsStaged;

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
