package org.escadrille.pilot;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.escadrille.protocol.PilotProtocol;

/**
 * Starts a task's command: on the host (in its sandbox when there is one) or in a container, with
 * stdout and stderr in files, stdin from {@code /dev/null} and exactly the task's environment.
 *
 * <p>A command line is normally started through a shell {@link #WRAPPER} that reports the CPU time
 * of the whole tree. On the host, a line that is only a list of words naming a program the task's
 * {@code PATH} finds ({@link SimpleCommand}) may be started directly instead, sparing two shells that
 * dominate the cost of tiny tasks. Host processes start through the {@link NativeSpawner} where the
 * JVM has one (Java 22+ on Linux), else through {@link ProcessBuilder}.
 */
final class CommandStarter {
    private static final Logger LOG = Logger.getLogger(CommandStarter.class.getName());

    /**
     * Runs {@code $1} (the command line, a positional parameter: it is never re-parsed) in a child
     * shell, relays a SIGTERM to it, then writes the children's CPU time ({@code times}) to {@code $2}
     * and exits with the command's status (128+n when signal n killed it). The wait loops because a
     * trapped signal interrupts {@code wait} while the child still runs.
     */
    static final String WRAPPER = """
            /bin/sh -c "$1" </dev/null &
            child=$!
            trap 'kill -TERM "$child" 2>/dev/null' TERM
            while :; do
              wait "$child"; rc=$?
              [ "$rc" -gt 128 ] && kill -0 "$child" 2>/dev/null || break
            done
            trap - TERM
            { times > "$2"; } 2>/dev/null
            exit "$rc"
            """;

    /**
     * The {@link #WRAPPER} of a sandboxed command. Its sandbox (a PID namespace) dies with it, killing
     * whatever still runs there: after a stop, that may be the tool writing its partial result, the
     * child of a shell the stop ended (on the host, that orphan would finish, and the pilot waits for
     * it). So after a stop, which the pilot marks by creating {@code $3} before it signals (this shell
     * is spared, as the {@link #WRAPPER} is), it waits until it is alone in the namespace with
     * bwrap's init (PID 1).
     */
    static final String SANDBOX_WRAPPER = """
            /bin/sh -c "$1" </dev/null &
            child=$!
            trap 'kill -TERM "$child" 2>/dev/null' TERM
            while :; do
              wait "$child"; rc=$?
              [ "$rc" -gt 128 ] && kill -0 "$child" 2>/dev/null || break
            done
            trap - TERM
            while [ -e "$3" ]; do
              others=
              for p in /proc/[0-9]*; do
                case "${p#/proc/}" in 1|"$$") ;; *) others=1 ;; esac
              done
              [ -z "$others" ] && break
              sleep 0.05
            done
            { times > "$2"; } 2>/dev/null
            exit "$rc"
            """;

    private final Optional<NativeSpawner> spawner;
    private final Optional<Bubblewrap> sandbox;

    /**
     * @param spawner how host processes start; empty: through {@link ProcessBuilder}
     * @param sandbox what host commands run in; empty: directly on the host
     */
    CommandStarter(Optional<NativeSpawner> spawner, Optional<Bubblewrap> sandbox) {
        this.spawner = spawner;
        this.sandbox = sandbox;
    }

    /** Whether a host command runs in a sandbox, whose root process ({@code bwrap}) must not be sent a stop. */
    boolean sandboxes(CommandSpec spec) {
        return spec.runtime() == null && sandbox.isPresent();
    }

    /**
     * Whether the command runs in the sandbox and may be stopped by SIGTERM (a Monte-Carlo task without
     * a stop file): it then needs the {@link #SANDBOX_WRAPPER}, since a program started directly is the
     * sandbox's main process, whose end (a script the stop ended) would kill the tool it started.
     */
    boolean stopsInSandbox(CommandSpec spec, ProgressTracker progress) {
        return sandbox.isPresent() && spec.runtime() == null && spec.stopFile() == null && progress.follows();
    }

    /** Starts the command without a shell when {@link SimpleCommand} allows it, else returns empty. */
    Optional<Process> startDirectly(CommandSpec spec) {
        if (spec.runtime() != null) {
            return Optional.empty();
        }
        Optional<List<String>> argv = SimpleCommand.argv(spec.commandLine(), spec.environment(), spec.workDir().root());
        if (argv.isEmpty()) {
            return Optional.empty();
        }
        try {
            // The program is an absolute path: the JDK would search the pilot's PATH, not the task's.
            List<String> command = inSandbox(argv.get(), spec);
            return Optional.of(spawner.isPresent() ? spawnOnHost(spawner.get(), command, spec)
                    : onHost(new ProcessBuilder(command), spec).start());
        } catch (IOException e) {
            // Not executable after all (a script whose interpreter is missing, ...): the shell reports
            // it, with the status it always gives (126, 127).
            return Optional.empty();
        }
    }

    Process startWrapped(CommandSpec spec) throws IOException {
        WorkDirectory workDir = spec.workDir();
        var wrapped = List.of("/bin/sh", "-c", WRAPPER, "escadrille", spec.commandLine(), workDir.times().toString());
        if (spec.runtime() == null) {
            List<String> command = sandbox.isPresent()
                    ? inSandbox(List.of("/bin/sh", "-c", SANDBOX_WRAPPER, "escadrille", spec.commandLine(),
                    workDir.times().toString(), workDir.stopped().toString()), spec)
                    : wrapped;
            if (spawner.isPresent()) {
                try {
                    return spawnOnHost(spawner.get(), command, spec);
                } catch (IOException e) {
                    LOG.warning(() -> spec.name() + ": " + e.getMessage() + "; starting it through the JDK");
                }
            }
            return onHost(new ProcessBuilder(command), spec).start();
        }
        var builder = redirected(new ProcessBuilder(spec.runtime().command(spec.image(), workDir.root(),
                spec.environment(), wrapped, containerName(spec.name()), spec.network())), workDir);
        // A container runtime's client needs the pilot's environment (its own configuration) but
        // not the pilot's token; the task's clean environment goes to the container explicitly.
        builder.environment().remove(PilotProtocol.TOKEN_ENV);
        return builder.start();
    }

    /** A host command as it runs: in the sandbox of its working directory, when there is one. */
    private List<String> inSandbox(List<String> argv, CommandSpec spec) {
        return sandbox.map(bwrap -> bwrap.command(argv, spec.environment(), spec.workDir().root(), spec.network()))
                .orElse(argv);
    }

    private static Process spawnOnHost(NativeSpawner spawner, List<String> argv, CommandSpec spec) throws IOException {
        WorkDirectory workDir = spec.workDir();
        return spawner.spawn(argv, spec.environment(), workDir.root(), workDir.stdout(), workDir.stderr());
    }

    private static ProcessBuilder onHost(ProcessBuilder builder, CommandSpec spec) {
        redirected(builder, spec.workDir());
        builder.environment().clear();
        builder.environment().putAll(spec.environment());
        return builder;
    }

    private static ProcessBuilder redirected(ProcessBuilder builder, WorkDirectory workDir) {
        return builder.directory(workDir.root().toFile())
                .redirectInput(new File("/dev/null"))
                .redirectOutput(workDir.stdout().toFile())
                .redirectError(workDir.stderr().toFile());
    }

    static String containerName(String name) {
        return "escadrille-" + name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

}
