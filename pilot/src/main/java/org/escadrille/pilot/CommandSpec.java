package org.escadrille.pilot;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link TaskRunner} runs: a shell command line in a working directory with an exact
 * environment, on the host or in a container image, for at most {@code timeLimitSeconds} (0: no limit).
 *
 * @param name     a name for the run, unique on this host (the attempt id): it names the container
 * @param runtime  the container runtime to use, or null to run on the host
 * @param stopFile a file (relative to the working directory) whose creation asks the tool to stop, or
 *                 null to stop it with SIGTERM
 * @param network  whether the command may reach the network (else a sandbox or container gives it none)
 */
record CommandSpec(
        String name,
        WorkDirectory workDir,
        String commandLine,
        Map<String, String> environment,
        String image,
        ContainerRuntime runtime,
        long timeLimitSeconds,
        String stopFile,
        boolean network) {

    CommandSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(commandLine, "commandLine");
        environment = Map.copyOf(environment);
        if ((image == null) != (runtime == null)) {
            throw new IllegalArgumentException("an image needs a runtime and a runtime an image");
        }
    }

    /** A command run on the host without a time limit, stopped by SIGTERM. */
    static CommandSpec onHost(String name, WorkDirectory workDir, String commandLine, Map<String, String> environment) {
        return new CommandSpec(name, workDir, commandLine, environment, null, null, 0, null, false);
    }

    CommandSpec withTimeLimit(long seconds) {
        return new CommandSpec(name, workDir, commandLine, environment, image, runtime, seconds, stopFile, network);
    }

    CommandSpec withStopFile(String path) {
        return new CommandSpec(name, workDir, commandLine, environment, image, runtime, timeLimitSeconds, path, network);
    }

    CommandSpec withNetwork(boolean granted) {
        return new CommandSpec(name, workDir, commandLine, environment, image, runtime, timeLimitSeconds, stopFile,
                granted);
    }
}
