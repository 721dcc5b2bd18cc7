package org.escadrille.pilot;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.escadrille.protocol.PilotProtocol;

/**
 * Runs one command to its end, with stdout and stderr in files and stdin from {@code /dev/null}; then,
 * every sampling interval, samples memory and progress and enforces the time limit and the stop and
 * kill requests. It returns only once every process of the tree has exited.
 *
 * <p>A command line is normally started through a shell {@link #WRAPPER} that reports the CPU time
 * of the whole tree. On the host, a line that is only a list of words naming a program the task's
 * {@code PATH} finds ({@link SimpleCommand}) is started directly instead, sparing two shells that
 * dominate the cost of tiny tasks, and a stop sends SIGTERM to the program itself.
 *
 * <p>Host processes start through the {@link NativeSpawner} where the JVM has one (Java 22+ on Linux),
 * else through {@link ProcessBuilder}. With the native spawner the CPU time of the command comes
 * from the kernel when it is reaped ({@code wait4}), exact even for a command shorter than a
 * sampling interval; without it a command started directly has only the sampled one, a lower bound
 * (about zero for a command shorter than a sampling interval). Peak memory is always the sampled one.
 */
final class TaskRunner {
    private static final Logger LOG = Logger.getLogger(TaskRunner.class.getName());

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

    /** How often a tool's progress is read while it has a stop target, and the wait once a line is due. */
    private static final long TARGET_POLL_NANOS = 10_000_000;
    private static final long MIN_TARGET_WAIT_NANOS = 2_000_000;

    private final Clock clock;
    private final Duration killGrace;
    private final Duration sampleInterval;
    private final BooleanSupplier startDirectly;
    private final Optional<NativeSpawner> spawner;
    private final Optional<Bubblewrap> sandbox;

    /**
     * @param killGrace      how long a SIGTERM'd tree has before SIGKILL
     * @param sampleInterval how often memory and progress are sampled and requests looked at
     * @param startDirectly  whether simple commands may start without the shell now (while tasks are short)
     */
    TaskRunner(Clock clock, Duration killGrace, Duration sampleInterval, BooleanSupplier startDirectly,
            Optional<NativeSpawner> spawner) {
        this(clock, killGrace, sampleInterval, startDirectly, spawner, Optional.empty());
    }

    /**
     * @param spawner how host processes start; empty: through {@link ProcessBuilder}
     * @param sandbox what host commands run in; empty: directly on the host
     */
    TaskRunner(Clock clock, Duration killGrace, Duration sampleInterval, BooleanSupplier startDirectly,
            Optional<NativeSpawner> spawner, Optional<Bubblewrap> sandbox) {
        this.spawner = spawner;
        this.sandbox = sandbox;
        this.startDirectly = startDirectly;
        this.clock = clock;
        this.killGrace = killGrace;
        this.sampleInterval = sampleInterval;
    }

    CommandResult run(CommandSpec spec, RunControl control, ProgressTracker progress) throws IOException {
        WorkDirectory workDir = spec.workDir();
        Files.createDirectories(workDir.tmp());
        Files.deleteIfExists(workDir.times());
        Files.deleteIfExists(workDir.stopped());
        long startedAtMs = clock.millis();
        long startNanos = System.nanoTime();
        Optional<Process> direct = startDirectly.getAsBoolean() && !stopsInSandbox(spec, progress)
                ? startDirectly(spec) : Optional.empty();
        Process process = direct.isPresent() ? direct.get() : startWrapped(spec);
        boolean sandboxed = spec.runtime() == null && sandbox.isPresent();
        var watch = new Watch(spec, control, progress, process, direct.isPresent(), sandboxed, startNanos);
        watch.untilEveryProcessExited();
        progress.finish();
        long endNanos = System.nanoTime();

        double cpu = Math.max(direct.isPresent() ? 0 : readTimes(workDir).orElse(0), watch.sampler.cpuSeconds());
        long peakRssKb = watch.sampler.peakRssKb();
        if (process instanceof NativeSpawner.Usage usage) {
            // The kernel's count covers the descendants the command waited for, as `times` does.
            cpu = Math.max(cpu, usage.cpuSeconds());
        }
        return new CommandResult(process.exitValue(), watch.timedOut, watch.stopSent, watch.killed,
                startedAtMs, startedAtMs + (endNanos - startNanos) / 1_000_000,
                (endNanos - startNanos) / 1e9, cpu, peakRssKb);
    }

    /**
     * Whether the command runs in the sandbox and may be stopped by SIGTERM (a Monte-Carlo task without
     * a stop file): it then needs the {@link #SANDBOX_WRAPPER}, since a program started directly is the
     * sandbox's main process, whose end (a script the stop ended) would kill the tool it started.
     */
    private boolean stopsInSandbox(CommandSpec spec, ProgressTracker progress) {
        return sandbox.isPresent() && spec.runtime() == null && spec.stopFile() == null && progress.follows();
    }

    /** Starts the command without a shell when {@link SimpleCommand} allows it, else returns empty. */
    private Optional<Process> startDirectly(CommandSpec spec) {
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

    private Process startWrapped(CommandSpec spec) throws IOException {
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

    private static OptionalDouble readTimes(WorkDirectory workDir) {
        try {
            return ShellTimes.childrenCpuSeconds(Files.readString(workDir.times(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Killed before it could write them: the sampled CPU time stands.
            return OptionalDouble.empty();
        }
    }

    static String containerName(String name) {
        return "escadrille-" + name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** The supervision of one run, on the runner's thread. */
    private final class Watch {
        final CommandSpec spec;
        final RunControl control;
        final ProgressTracker progress;
        final Process process;
        /** Started without the wrapper: the root of the tree is the command itself (or its sandbox). */
        final boolean direct;
        /** The root of the tree is {@code bwrap}, which must not be sent a stop. */
        final boolean sandboxed;
        final ProcessTreeSampler sampler;
        final long startNanos;
        long killSinceNanos = -1;
        long sampledAtNanos = Long.MIN_VALUE / 2;
        boolean forced;
        boolean stopSent;
        boolean timedOut;
        boolean killed;

        Watch(CommandSpec spec, RunControl control, ProgressTracker progress, Process process, boolean direct,
                boolean sandboxed, long startNanos) {
            this.sandboxed = sandboxed;
            this.spec = spec;
            this.control = control;
            this.progress = progress;
            this.process = process;
            this.direct = direct;
            this.sampler = new ProcessTreeSampler(process.toHandle());
            this.startNanos = startNanos;
        }

        void untilEveryProcessExited() {
            boolean interrupted = false;
            boolean exited = false;
            while (true) {
                try {
                    if (!exited) {
                        exited = process.waitFor(nextWaitNanos(), TimeUnit.NANOSECONDS);
                    } else {
                        List<ProcessHandle> leftovers = sampler.liveProcesses();
                        if (leftovers.isEmpty()) {
                            break;
                        }
                        if (!stopSent && killSinceNanos < 0) {
                            // The command is done; what it left in the background must not outlive it.
                            LOG.info(() -> spec.name() + ": killing " + leftovers.size()
                                    + " process(es) left behind by the command");
                            beginKill();
                        }
                        Thread.sleep(sampleInterval.toMillis());
                    }
                } catch (InterruptedException e) {
                    // The pilot is going away: kill the tree, and still wait for it to be gone.
                    interrupted = true;
                    control.kill();
                }
                tick();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Until the next look at the command: a sampling interval, or less while a stop target is set,
         * so that the stop comes as the tool reports reaching it rather than up to an interval later:
         * every few milliseconds once its rate says the line is due.
         */
        private long nextWaitNanos() {
            long interval = sampleInterval.toNanos();
            long target = control.stopAt();
            if (target <= 0 || stopSent || killSinceNanos >= 0) {
                return interval;
            }
            long until = progress.nanosUntil(target, System.nanoTime());
            return Math.max(MIN_TARGET_WAIT_NANOS, Math.min(Math.min(interval, TARGET_POLL_NANOS), until));
        }

        /**
         * Whether the tool has reported its stop target. Its own count, not a projection from its rate: a
         * tool that a busy host holds up between two lines would be stopped short of its share, and a
         * run short of its total needs a new task (a start of seconds) to make up the difference.
         */
        private boolean reachedTarget() {
            long target = control.stopAt();
            return target > 0 && progress.latest() >= target;
        }

        private void tick() {
            long now = System.nanoTime();
            // Sampling the process tree reads /proc: at its own pace, not at every look at a target.
            if (now - sampledAtNanos >= sampleInterval.toNanos() || control.request() != RunControl.Request.NONE) {
                sampler.sample();
                control.sampled(new RunControl.Usage(sampler.cpuSeconds(), sampler.rssKb()));
                sampledAtNanos = now;
            }
            progress.poll(now);
            if (killSinceNanos >= 0) {
                if (!forced && now - killSinceNanos >= killGrace.toNanos()) {
                    forceKill();
                }
            } else if (control.request() == RunControl.Request.KILL) {
                killed = true;
                beginKill();
            } else if (spec.timeLimitSeconds() > 0
                    && now - startNanos >= TimeUnit.SECONDS.toNanos(spec.timeLimitSeconds())) {
                timedOut = true;
                LOG.info(() -> spec.name() + ": time limit of " + spec.timeLimitSeconds() + " s exceeded, killing");
                beginKill();
            } else if (control.request() == RunControl.Request.STOP && !stopSent) {
                stopSent = true;
                sendStop();
            } else if (!stopSent && reachedTarget()) {
                stopSent = true;
                LOG.info(() -> spec.name() + ": reached its share of " + control.stopAt() + " events, stopping it");
                sendStop();
            }
        }

        private void sendStop() {
            if (spec.stopFile() != null) {
                try {
                    Files.createDirectories(spec.workDir().resolve(spec.stopFile()).getParent());
                    Files.write(spec.workDir().resolve(spec.stopFile()), new byte[0]);
                    return;
                } catch (IOException e) {
                    LOG.warning(() -> spec.name() + ": cannot create stop file " + spec.stopFile()
                            + " (" + e.getMessage() + "), sending SIGTERM instead");
                }
            }
            if (spec.runtime() != null && spec.runtime().proxiesSignals()) {
                process.toHandle().destroy();
            } else {
                // The wrapper is spared: it must survive the tool to report its status and CPU time.
                // A command started directly is the root, which liveProcesses() leaves out; in a
                // sandbox the root is bwrap, and the command one of its descendants.
                sampler.sample();
                if (direct && !sandboxed) {
                    process.toHandle().destroy();
                }
                var spared = new HashSet<Long>();
                if (sandboxed && !direct) {
                    markStopped();
                    // bwrap's init, which ignores it anyway, and the wrapper under it.
                    process.toHandle().children().forEach(init -> {
                        spared.add(init.pid());
                        init.children().forEach(wrapper -> spared.add(wrapper.pid()));
                    });
                }
                sampler.liveProcesses().stream().filter(handle -> !spared.contains(handle.pid()))
                        .forEach(ProcessHandle::destroy);
            }
        }

        /** Tells the {@link #SANDBOX_WRAPPER} that a stop was sent: it then outlives what the stop leaves running. */
        private void markStopped() {
            try {
                Files.write(spec.workDir().stopped(), new byte[0]);
            } catch (IOException e) {
                LOG.warning(() -> spec.name() + ": cannot mark the stop (" + e.getMessage()
                        + "): a tool still writing its result when its shell ends is killed with the sandbox");
            }
        }

        private void beginKill() {
            killSinceNanos = System.nanoTime();
            everyProcess().forEach(ProcessHandle::destroy);
        }

        private void forceKill() {
            forced = true;
            everyProcess().forEach(ProcessHandle::destroyForcibly);
            if (spec.runtime() != null && !spec.runtime().forceKillCommand(containerName(spec.name())).isEmpty()) {
                try {
                    new ProcessBuilder(spec.runtime().forceKillCommand(containerName(spec.name())))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                } catch (IOException e) {
                    LOG.warning(() -> spec.name() + ": cannot kill its container: " + e.getMessage());
                }
            }
        }

        private List<ProcessHandle> everyProcess() {
            sampler.sample();
            var all = new LinkedHashSet<ProcessHandle>();
            Stream.concat(Stream.of(process.toHandle()), process.descendants()).forEach(all::add);
            all.addAll(sampler.liveProcesses());
            return List.copyOf(all);
        }
    }
}
