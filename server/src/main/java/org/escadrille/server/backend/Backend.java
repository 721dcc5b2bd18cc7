package org.escadrille.server.backend;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Where pilots run: one implementation per engine (local child processes, SLURM, Kubernetes), with
 * the engine's knowledge kept inside it. The pilot factory decides how many; a backend only starts,
 * lists and cancels them. One instance serves one site ({@link BackendKind#open}).
 */
public interface Backend {

    /** The engine's name in configuration, metrics and the pilots table (e.g. {@code local}, {@code slurm}). */
    String name();

    /** Starts a pilot (or submits it to the engine's queue). Throws with the engine's own message when it refuses. */
    void submit(PilotLaunch launch) throws IOException;

    /** The pilots this backend started that are still submitted or alive. */
    Set<String> active();

    /** Stops a pilot, or removes it from the engine's queue. Harmless for a pilot that is not there. */
    void cancel(String pilotId);

    /**
     * The pilot job's own output (a batch job's stdout and stderr, a container's log), at most its
     * last {@code maxBytes}: what an operator reads when a pilot died before it could report anything.
     */
    default Optional<String> log(String pilotId, int maxBytes) {
        return Optional.empty();
    }

    /**
     * Checks that the engine answers and accepts the site's settings (a partition that exists, a
     * reachable login node, a namespace that exists), throwing with the engine's own message.
     */
    default void check() throws IOException {
    }

    /** Releases connections; pilots already submitted keep running. */
    default void close() {
    }
}
