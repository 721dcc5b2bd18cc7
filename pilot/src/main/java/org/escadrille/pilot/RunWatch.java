package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The supervision of one run, on the runner's thread: every sampling interval (more often while a
 * stop target is near) it samples memory and progress and enforces the time limit and the stop and
 * kill requests, until every process of the tree has exited.
 */
final class RunWatch {
    private static final Logger LOG = Logger.getLogger(RunWatch.class.getName());
    /** How often a tool's progress is read while it has a stop target, and the wait once a line is due. */
    private static final long TARGET_POLL_NANOS = 10_000_000;
    private static final long MIN_TARGET_WAIT_NANOS = 2_000_000;

    private final CommandSpec spec;
    private final RunControl control;
    private final ProgressTracker progress;
    private final Process process;
    /** Started without the wrapper: the root of the tree is the command itself (or its sandbox). */
    private final boolean direct;
    /** The root of the tree is {@code bwrap}, which must not be sent a stop. */
    private final boolean sandboxed;
    private final ProcessTreeSampler sampler;
    private final long startNanos;
    private final Duration killGrace;
    private final Duration sampleInterval;
    private long killSinceNanos = -1;
    private long sampledAtNanos = Long.MIN_VALUE / 2;
    private boolean forced;
    private boolean stopSent;
    private boolean timedOut;
    private boolean killed;

    /**
     * @param direct    started without the wrapper
     * @param sandboxed the root of the tree is {@code bwrap}
     * @param killGrace      how long a SIGTERM'd tree has before SIGKILL
     * @param sampleInterval how often memory and progress are sampled and requests looked at
     */
    RunWatch(CommandSpec spec, RunControl control, ProgressTracker progress, Process process, boolean direct,
            boolean sandboxed, long startNanos, Duration killGrace, Duration sampleInterval) {
        this.spec = spec;
        this.control = control;
        this.progress = progress;
        this.process = process;
        this.direct = direct;
        this.sandboxed = sandboxed;
        this.sampler = new ProcessTreeSampler(process.toHandle());
        this.startNanos = startNanos;
        this.killGrace = killGrace;
        this.sampleInterval = sampleInterval;
    }

    /** What was sampled of the tree: its CPU time and peak memory. */
    ProcessTreeSampler sampler() {
        return sampler;
    }

    /** Killed for passing the task's time limit. */
    boolean timedOut() {
        return timedOut;
    }

    /** Told to stop (an order or its stop target): it ended early on purpose. */
    boolean stopSent() {
        return stopSent;
    }

    /** Killed on request. */
    boolean killed() {
        return killed;
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

    /**
     * Tells the {@link CommandStarter#SANDBOX_WRAPPER} that a stop was sent: it then outlives what the
     * stop leaves running.
     */
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
        List<String> killContainer = spec.runtime() == null ? List.of()
                : spec.runtime().forceKillCommand(CommandStarter.containerName(spec.name()));
        if (!killContainer.isEmpty()) {
            try {
                new ProcessBuilder(killContainer)
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
