package org.escadrille.pilot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;

/**
 * Runs one command to its end: {@link CommandStarter} starts it, {@link RunWatch} supervises it until
 * every process of its tree has exited, and this gathers what it used. A command that is only a list
 * of words ({@link SimpleCommand}) starts without the shell wrapper while tasks are short, and a stop
 * then sends SIGTERM to the program itself.
 *
 * <p>Host processes start through the {@link NativeSpawner} where the JVM has one (Java 22+ on Linux),
 * else through {@link ProcessBuilder}. With the native spawner the CPU time of the command comes
 * from the kernel when it is reaped ({@code wait4}), exact even for a command shorter than a
 * sampling interval; without it a command started directly has only the sampled one, a lower bound
 * (about zero for a command shorter than a sampling interval). Peak memory is always the sampled one.
 */
final class TaskRunner {
    private final Clock clock;
    private final Duration killGrace;
    private final Duration sampleInterval;
    private final BooleanSupplier startDirectly;
    private final CommandStarter starter;

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
        this.starter = new CommandStarter(spawner, sandbox);
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
        Optional<Process> direct = startDirectly.getAsBoolean() && !starter.stopsInSandbox(spec, progress)
                ? starter.startDirectly(spec) : Optional.empty();
        Process process = direct.isPresent() ? direct.get() : starter.startWrapped(spec);
        var watch = new RunWatch(spec, control, progress, process, direct.isPresent(), starter.sandboxes(spec),
                startNanos, killGrace, sampleInterval);
        watch.untilEveryProcessExited();
        progress.finish();
        long endNanos = System.nanoTime();

        double cpu = Math.max(direct.isPresent() ? 0 : readTimes(workDir).orElse(0), watch.sampler().cpuSeconds());
        long peakRssKb = watch.sampler().peakRssKb();
        if (process instanceof NativeSpawner.Usage usage) {
            // The kernel's count covers the descendants the command waited for, as `times` does.
            cpu = Math.max(cpu, usage.cpuSeconds());
        }
        return new CommandResult(process.exitValue(), watch.timedOut(), watch.stopSent(), watch.killed(),
                startedAtMs, startedAtMs + (endNanos - startNanos) / 1_000_000,
                (endNanos - startNanos) / 1e9, cpu, peakRssKb);
    }

    private static OptionalDouble readTimes(WorkDirectory workDir) {
        try {
            return ShellTimes.childrenCpuSeconds(Files.readString(workDir.times(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Killed before it could write them: the sampled CPU time stands.
            return OptionalDouble.empty();
        }
    }
}
