package org.escadrille.server.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a backend needs to start one pilot: its identity and token (handed over in its environment,
 * never on its command line), the server it reports to, its jar and its slots.
 *
 * @param workDir  its work directory on this machine (a remote engine chooses its own from its settings)
 * @param taskPath the PATH its tasks see, or null for the pilot's own
 * @param options  further pilot options, in the pilot's command-line syntax, that the factory chose
 *                 for this site (tags, idle timeout, time limit, sandbox): a backend passes them on as they are
 */
public record PilotLaunch(String pilotId, String token, String serverUrl, Path pilotJar, int slots, Path workDir,
                          String taskPath, List<String> options) {
    public PilotLaunch {
        Objects.requireNonNull(pilotId, "pilotId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(pilotJar, "pilotJar");
        if (slots < 1) {
            throw new IllegalArgumentException("a pilot needs at least one slot");
        }
        options = List.copyOf(options);
    }

    public PilotLaunch(String pilotId, String token, String serverUrl, Path pilotJar, int slots, Path workDir,
                       String taskPath) {
        this(pilotId, token, serverUrl, pilotJar, slots, workDir, taskPath, List.of());
    }

    /**
     * The pilot's arguments after {@code java [JVM options]}, for an engine that runs it with its jar
     * and work directory at the given paths (which may be on another machine).
     */
    public List<String> pilotArguments(String jarPath, String workDirPath) {
        var arguments = new ArrayList<String>(List.of("-jar", jarPath, "--server", serverUrl,
                "--slots", Integer.toString(slots), "--work-dir", workDirPath));
        if (taskPath != null) {
            arguments.addAll(List.of("--task-path", taskPath));
        }
        arguments.addAll(options);
        return List.copyOf(arguments);
    }
}
