package org.escadrille.pilot;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests made to a running command from other threads (the heartbeat's orders, the pilot's
 * shutdown); {@link TaskRunner} acts on them from its own thread within one sampling interval.
 */
final class RunControl {

    /** What is asked of the command: a kill outranks a stop, which outranks nothing. */
    enum Request { NONE, STOP, KILL }

    private final AtomicReference<Request> request = new AtomicReference<>(Request.NONE);

    /** Asks the tool to stop early and keep its partial result; ignored once a kill is requested. */
    void stop() {
        request.compareAndSet(Request.NONE, Request.STOP);
    }

    /** Kills the process tree. */
    void kill() {
        request.set(Request.KILL);
    }

    Request request() {
        return request.get();
    }
}
