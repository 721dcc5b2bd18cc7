package org.escadrille.server.backend;

import java.io.IOException;
import java.util.Set;

/**
 * Where pilots run: one implementation per engine (local child processes, SLURM, Kubernetes), with
 * the engine's knowledge kept inside it. The pilot factory decides how many; a backend only starts,
 * lists and cancels them.
 */
public interface Backend {

    /** The backend's name in configuration, metrics and the pilots table (e.g. {@code local}). */
    String name();

    /** Starts a pilot (or submits it to the engine's queue). */
    void submit(PilotLaunch launch) throws IOException;

    /** The pilots this backend started that are still submitted or alive. */
    Set<String> active();

    /** Stops a pilot, or removes it from the engine's queue. */
    void cancel(String pilotId);
}
