package org.escadrille.pilot;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests made to a running command from other threads (the heartbeat's orders, the pilot's
 * shutdown); {@link RunWatch} acts on them from the runner's thread within one sampling interval. In the
 * other direction, the runner leaves here what the command uses, as of its latest sample, for the
 * heartbeat to relay.
 */
final class RunControl {

    /** CPU seconds and resident memory (KiB) of the command's processes at one sample. */
    record Usage(double cpuSeconds, long rssKb) {
    }


    /** What is asked of the command: a kill outranks a stop, which outranks nothing. */
    enum Request { NONE, STOP, KILL }

    private final AtomicReference<Request> request = new AtomicReference<>(Request.NONE);
    private volatile Usage usage;
    private final AtomicLong stopAt = new AtomicLong();

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

    void sampled(Usage latest) {
        usage = latest;
    }

    /** The latest sample of the running command, or null before the first one. */
    Usage usage() {
        return usage;
    }

    /**
     * Asks for a stop once the tool has done {@code events} events (a Monte-Carlo task's share of what
     * is left): the runner watches the progress itself and stops it then, as {@link #stop()} would.
     * A newer target replaces the older.
     */
    void stopAt(long events) {
        if (events > 0) {
            stopAt.set(events);
        }
    }

    /** The events at which to stop, or 0 for none. */
    long stopAt() {
        return stopAt.get();
    }
}
