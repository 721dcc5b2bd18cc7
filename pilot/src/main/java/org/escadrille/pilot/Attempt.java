package org.escadrille.pilot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.PatternSyntaxException;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.Completion.Outcome;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.Order;
import org.escadrille.protocol.ResourceUsage;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.protocol.TaskAssignment.ConfigFile;

/**
 * One attempt on this pilot, from staging to completion: stage, run, relay logs and progress,
 * obey orders, upload, complete, clean up. It runs on one thread of the pilot's slot pool; orders
 * and heartbeats reach it from other threads through its volatile state and {@link RunControl}.
 */
final class Attempt implements Runnable {
    private static final Logger LOG = Logger.getLogger(Attempt.class.getName());

    private final TaskAssignment assignment;
    private final AttemptContext context;
    private final Consumer<Attempt> onEnd;
    private final WorkDirectory workDir;
    private final RunControl control = new RunControl();
    private final RetryLoop retry;
    private volatile Heartbeat.Phase phase = Heartbeat.Phase.STAGING;
    private volatile long startedAtMs;
    private volatile ProgressTracker progress = ProgressTracker.none();
    /** Uploads the tool's checkpoints (Monte-Carlo tasks that write them), or null. */
    private volatile CheckpointUploader checkpoints;
    /** The first order obeyed (an ABANDON overrides it), or null. */
    private final AtomicReference<Order.Kind> order = new AtomicReference<>();
    private volatile boolean dropped;
    /** Its completion is with the {@link CompletionReporter}: the slot is free, the attempt still held. */
    private volatile boolean reportPending;
    /** How long its command ran, if it succeeded; -1 if it did not run or failed. */
    private volatile long ranMs = -1;

    /** @param onEnd called once the attempt is over, whatever its end (it frees the slot) */
    Attempt(TaskAssignment assignment, AttemptContext context, Consumer<Attempt> onEnd) {
        this.assignment = assignment;
        this.context = context;
        this.onEnd = onEnd;
        this.workDir = new WorkDirectory(context.workRoot().resolve(safeName(assignment.attemptId())));
        this.retry = new RetryLoop(() -> !dropped);
    }

    String id() {
        return assignment.attemptId();
    }

    /** The slots it occupies. */
    int cores() {
        return assignment.cores();
    }

    /** The memory it holds, in MiB. */
    long memoryMb() {
        return assignment.memoryMb();
    }

    /** How long its descriptor expects it to run, in milliseconds (0: not said). */
    long expectedMs() {
        return assignment.walltimeEstimateSeconds() * 1000;
    }

    Heartbeat.AttemptStatus status() {
        CheckpointUploader uploader = checkpoints;
        Heartbeat.Phase now = phase;
        // What the command uses is relayed only while it runs: before, there is nothing; after, the completion says.
        RunControl.Usage usage = now == Heartbeat.Phase.RUNNING ? control.usage() : null;
        return new Heartbeat.AttemptStatus(id(), now, progress.latest(), startedAtMs,
                uploader == null ? 0 : uploader.uploaded(), usage == null ? null : usage.cpuSeconds(),
                usage == null ? null : usage.rssKb());
    }

    boolean isDropped() {
        return dropped;
    }

    long ranMs() {
        return ranMs;
    }

    boolean reportPending() {
        return reportPending;
    }

    /** Obeys an order from a heartbeat reply; repeated orders are harmless. */
    void obey(Order.Kind kind) {
        if (reportPending) {
            // Its command is over and its completion on the way: nothing left to stop.
            return;
        }
        if (kind == Order.Kind.ABANDON) {
            drop("abandoned by the server");
            return;
        }
        if (!order.compareAndSet(null, kind)) {
            return;
        }
        LOG.info(() -> id() + ": " + kind + " ordered");
        if (kind == Order.Kind.CANCEL) {
            control.kill();
        } else {
            control.stop();
        }
    }

    /** The server's share of a Monte-Carlo total for this attempt: stop the tool when it has done that many. */
    void stopAt(long events) {
        if (!reportPending) {
            control.stopAt(events);
        }
    }

    /** Kills the attempt's processes and forgets it without completing it (the server requeues it). */
    void drop(String why) {
        if (!dropped) {
            dropped = true;
            order.set(Order.Kind.ABANDON);
            LOG.info(() -> id() + ": dropping (" + why + ")");
        }
        control.kill();
    }

    @Override
    public void run() {
        try {
            Completion completion = execute();
            report(completion);
        } catch (AttemptGoneException e) {
            if (!dropped) {
                LOG.info(() -> id() + ": no longer ours, dropped (" + e.getMessage() + ")");
            }
        } catch (TokenRejectedException e) {
            LOG.warning(() -> id() + ": token rejected, dropped: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // Not an expected condition: a bug or a broken host. Say so, and still report the attempt.
            LOG.log(Level.SEVERE, id() + ": pilot error", e);
            if (!dropped) {
                tryReport(failed("pilot error on " + context.host() + ": " + e, 0, 0, null));
            }
        } finally {
            cleanUp();
            onEnd.accept(this);
        }
    }

    private Completion execute() throws IOException {
        LOG.fine(() -> id() + ": task " + assignment.taskId() + " of execution " + assignment.executionId()
                + ", staging " + assignment.inputs().size() + " input(s) in " + workDir.root());
        long bytesIn = 0;
        CommandSpec spec;
        try {
            context.spares().create(workDir);
            writeConfigFiles();
            bytesIn = new InputStager(context.client()).stage(assignment.inputs(), workDir, retry);
            spec = commandSpec();
            if (assignment.progress() != null) {
                progress = ProgressTracker.of(assignment.progress(), workDir);
                control.stopAt(assignment.progress().stopAt());
                if (assignment.progress().checkpointDir() != null) {
                    checkpoints = new CheckpointUploader(context.client(), id(),
                            workDir.resolve(assignment.progress().checkpointDir()), assignment.outputs());
                }
            }
        } catch (TaskFailedException e) {
            return failed(e.getMessage(), bytesIn, 0, null);
        } catch (PatternSyntaxException e) {
            return failed("invalid progress pattern: " + e.getDescription(), bytesIn, 0, null);
        }
        if (dropped) {
            throw new AttemptGoneException("dropped while staging");
        }
        if (order.get() != null) {
            // Cancelled, or told to stop before it started: there is nothing to keep.
            return completion(Outcome.CANCELLED, -1, order.get() + " ordered before the command started", null, bytesIn, 0);
        }

        phase = Heartbeat.Phase.RUNNING;
        startedAtMs = context.clock().millis();
        context.heartbeatNudge().run();
        LOG.info(() -> id() + ": running task " + assignment.taskId() + " of execution " + assignment.executionId()
                + (spec.runtime() == null ? "" : " in " + spec.image() + " with "
                + spec.runtime().name()));
        var logs = new LogStreamer(context.client(), id(), workDir, () -> drop("the server no longer knows it"));
        var ticks = context.logTicks().scheduleWithFixedDelay(logs::tick, 1, 1, TimeUnit.SECONDS);
        CheckpointUploader uploader = checkpoints;
        var checkpointTicks = uploader == null ? null
                : context.logTicks().scheduleWithFixedDelay(uploader::tick, 500, 500, TimeUnit.MILLISECONDS);
        CommandResult result;
        try {
            result = context.runner().run(spec, control, progress);
        } finally {
            ticks.cancel(false);
            if (checkpointTicks != null) {
                checkpointTicks.cancel(false);
            }
        }
        if (dropped) {
            throw new AttemptGoneException("dropped while running");
        }
        logs.flush(retry);
        return conclude(result, bytesIn);
    }

    private Completion conclude(CommandResult result, long bytesIn) throws IOException {
        Verdict verdict = Verdict.of(result, order.get(), assignment.timeLimitSeconds());
        if (verdict.outcome() == Outcome.SUCCEEDED) {
            // Only commands that did their work say how long tasks take: a broken host failing every
            // task in a millisecond must not look like one with tiny tasks, and queue dozens of them.
            ranMs = Math.round(result.wallSeconds() * 1000);
        }
        if (!verdict.keepsOutputs()) {
            return completion(verdict.outcome(), result.exitCode(), verdict.message(), result, bytesIn, 0);
        }
        phase = Heartbeat.Phase.UPLOADING;
        try {
            long bytesOut = new OutputUploader(context.client()).upload(id(), workDir, assignment.outputs(), retry);
            return completion(verdict.outcome(), result.exitCode(), verdict.message(), result, bytesIn, bytesOut);
        } catch (TaskFailedException e) {
            return completion(Outcome.FAILED, result.exitCode(), e.getMessage(), result, bytesIn, 0);
        }
    }

    /** Hands the completion to the reporter; the slot frees as soon as this attempt's thread returns. */
    private void report(Completion completion) {
        phase = Heartbeat.Phase.UPLOADING;
        reportPending = true;
        context.reporter().submit(this, completion);
    }

    private void tryReport(Completion completion) {
        try {
            context.client().complete(id(), completion);
        } catch (RuntimeException e) {
            LOG.warning(() -> id() + ": could not report its failure: " + e.getMessage());
        }
    }

    private CommandSpec commandSpec() throws TaskFailedException {
        String image = assignment.containerImage();
        var spec = CommandSpec.onHost(id(), workDir, assignment.commandLine(),
                context.environment().onHost(assignment, workDir));
        if (image != null && !image.isBlank()) {
            if (context.containerRuntime().isPresent()) {
                try {
                    context.containerRuntime().get().imageArgument(image);
                } catch (IllegalArgumentException e) {
                    throw new TaskFailedException("container image refused: it " + e.getMessage());
                }
                spec = new CommandSpec(id(), workDir, assignment.commandLine(),
                        context.environment().inContainer(assignment, workDir), image,
                        context.containerRuntime().get(), 0, null, false);
            } else if (context.allowNoContainer()) {
                LOG.warning(() -> id() + ": no container runtime for image " + image + ", running on the host");
            } else {
                throw new TaskFailedException("the task needs container image " + image + " but no container runtime "
                        + "(docker, podman, apptainer) is installed on " + context.host());
            }
        }
        spec = spec.withTimeLimit(assignment.timeLimitSeconds()).withNetwork(assignment.network());
        if (assignment.progress() != null && assignment.progress().stopFile() != null) {
            spec = spec.withStopFile(assignment.progress().stopFile());
        }
        return spec;
    }

    private void writeConfigFiles() throws IOException, TaskFailedException {
        for (ConfigFile config : assignment.configFiles()) {
            Path file;
            try {
                file = workDir.resolve(config.path());
            } catch (IllegalArgumentException e) {
                throw new TaskFailedException("configuration file " + config.path() + ": " + e.getMessage());
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, config.content(), StandardCharsets.UTF_8);
        }
    }

    private Completion failed(String message, long bytesIn, long bytesOut, CommandResult result) {
        return completion(Outcome.FAILED, result == null ? -1 : result.exitCode(), message, result, bytesIn, bytesOut);
    }

    /** @param result the command's, or null when it did not run */
    private Completion completion(Outcome outcome, int exitCode, String message, CommandResult result,
                                  long bytesIn, long bytesOut) {
        int cores = TaskEnvironment.cores(assignment);
        var usage = result == null
                ? new ResourceUsage(0, 0, cores, 0, bytesIn, bytesOut)
                : new ResourceUsage(result.cpuSeconds(), result.wallSeconds(), cores, result.peakRssKb(),
                bytesIn, bytesOut);
        return new Completion(outcome, exitCode, message, result == null ? 0 : result.startedAtMs(),
                result == null ? context.clock().millis() : result.endedAtMs(), progress.latest(), usage);
    }

    private void cleanUp() {
        if (context.keepWorkdirs()) {
            return;
        }
        try {
            context.spares().release(workDir);
        } catch (IOException e) {
            LOG.warning(() -> id() + ": could not delete " + workDir.root() + ": " + e.getMessage());
        }
    }

    private static String safeName(String attemptId) {
        if (attemptId.isBlank() || attemptId.contains("/") || attemptId.startsWith(".") || attemptId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an attempt id must be a plain file name: " + attemptId);
        }
        return attemptId;
    }
}
