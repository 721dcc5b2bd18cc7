package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A container engine on the pilot's host that runs a task's command inside its image with the
 * working directory mounted at the same path.
 */
interface ContainerRuntime {

    /** The executables tried, in order of preference. */
    List<String> KNOWN = List.of("docker", "podman", "apptainer");

    String name();

    /**
     * The command that runs {@code command} in {@code image}, in {@code workDir} (the only directory of
     * the host it sees), with exactly {@code environment} set inside, and without a network unless
     * {@code network}.
     */
    List<String> command(String image, Path workDir, Map<String, String> environment, List<String> command,
                         String containerName, boolean network);

    /**
     * True when the runtime's client proxies signals to the container (docker, podman): a stop is then
     * sent to the client; otherwise the container's processes are the pilot's descendants.
     */
    boolean proxiesSignals();

    /**
     * The image as this runtime's command line takes it.
     *
     * @throws IllegalArgumentException saying why, when {@code image} is no image reference this runtime
     *     takes (anything that would read as an option, first of all)
     */
    String imageArgument(String image);

    /**
     * Ends a runtime's command line after its own options: the environment as {@code --env} options in
     * key order, then {@code --} (nothing after it is an option of the runtime's, whatever the image
     * string holds), the image and the task's command.
     */
    default List<String> withImageAndCommand(List<String> options, Map<String, String> environment, String image,
                                             List<String> command) {
        var args = new ArrayList<>(options);
        new TreeMap<>(environment).forEach((key, value) -> {
            args.add("--env");
            args.add(key + "=" + value);
        });
        args.add("--");
        args.add(imageArgument(image));
        args.addAll(command);
        return args;
    }

    /** What kills the container for good when its client was killed, or an empty list. */
    List<String> forceKillCommand(String containerName);

    /** The first runtime found on {@code searchPath} (a PATH value) that can run containers, if any. */
    static Optional<ContainerRuntime> detect(String searchPath) {
        for (String name : KNOWN) {
            Optional<Path> executable = findExecutable(name, searchPath);
            // A docker client whose daemon does not answer would fail every task: podman or apptainer
            // (daemonless) may be there too, so it is passed over.
            if (executable.isPresent() && (!name.equals("docker") || daemonAnswers(executable.get()))) {
                String path = executable.get().toString();
                return Optional.of(name.equals("apptainer") ? new ApptainerRuntime(path) : new OciRuntime(name, path));
            }
        }
        return Optional.empty();
    }

    private static boolean daemonAnswers(Path docker) {
        try {
            Process process = new ProcessBuilder(docker.toString(), "version", "--format", "{{.Server.Version}}")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> findExecutable(String name, String searchPath) {
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
