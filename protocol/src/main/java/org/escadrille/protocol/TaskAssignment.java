package org.escadrille.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt of one task, as a pilot receives it. The server renders everything: the pilot runs
 * {@code commandLine} through {@code /bin/sh -c} in a fresh working directory after staging
 * {@code inputs} there, with a clean environment plus {@code environment}, for at most
 * {@code timeLimitSeconds}; then it uploads what matches {@code outputs}.
 *
 * @param progress how the tool reports its progress (Monte-Carlo tasks), or null
 * @param network  whether the task may reach the network (the descriptor's {@code custom."escadrille:network"});
 *                 without it a sandboxed task has none
 * @param cores    slots of the pilot the task occupies while it runs (0, from an older server: 1)
 * @param memoryMb memory of the pilot it holds while it runs, in MiB (0: none said)
 * @param walltimeEstimateSeconds how long the descriptor expects it to run (0: not said); a pilot near
 *                 its batch time limit counts on at least that much
 */
public record TaskAssignment(
        String attemptId,
        String taskId,
        String executionId,
        String commandLine,
        List<InputFile> inputs,
        List<OutputSpec> outputs,
        List<ConfigFile> configFiles,
        Map<String, String> environment,
        String containerImage,
        long timeLimitSeconds,
        ProgressSpec progress,
        boolean network,
        int cores,
        long memoryMb,
        long walltimeEstimateSeconds) {

    public TaskAssignment {
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(commandLine, "commandLine");
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        configFiles = configFiles == null ? List.of() : List.copyOf(configFiles);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        if (timeLimitSeconds < 0) {
            throw new IllegalArgumentException("timeLimitSeconds must not be negative");
        }
        cores = Math.max(1, cores);
        memoryMb = Math.max(0, memoryMb);
        walltimeEstimateSeconds = Math.max(0, walltimeEstimateSeconds);
    }

    /** An assignment of one core, no memory requirement and no walltime estimate. */
    public TaskAssignment(String attemptId, String taskId, String executionId, String commandLine,
                          List<InputFile> inputs, List<OutputSpec> outputs, List<ConfigFile> configFiles,
                          Map<String, String> environment, String containerImage, long timeLimitSeconds,
                          ProgressSpec progress, boolean network) {
        this(attemptId, taskId, executionId, commandLine, inputs, outputs, configFiles, environment, containerImage,
                timeLimitSeconds, progress, network, 1, 0, 0);
    }

    /** An assignment without network. */
    public TaskAssignment(String attemptId, String taskId, String executionId, String commandLine,
                          List<InputFile> inputs, List<OutputSpec> outputs, List<ConfigFile> configFiles,
                          Map<String, String> environment, String containerImage, long timeLimitSeconds,
                          ProgressSpec progress) {
        this(attemptId, taskId, executionId, commandLine, inputs, outputs, configFiles, environment, containerImage,
                timeLimitSeconds, progress, false);
    }

    /**
     * A file to download before the run. {@code path} is relative to the working directory;
     * {@code url} is absolute or relative to the server, task-scoped and signed by it.
     */
    public record InputFile(String path, String url, long size, String sha256) {
        public InputFile {
            RelativePaths.requireConfined(path);
            Objects.requireNonNull(url, "url");
        }
    }

    /**
     * An output to upload after the run: {@code path} relative to the working directory, may hold
     * {@code *} and {@code ?} wildcards (a Boutiques path template with a glob); a non-optional one
     * that matches nothing fails the attempt with a message naming it.
     */
    public record OutputSpec(String id, String path, boolean optional) {
        public OutputSpec {
            Objects.requireNonNull(id, "id");
            RelativePaths.requireConfined(path);
        }
    }

    /** A configuration file the pilot writes before the run (Boutiques {@code file-template}). */
    public record ConfigFile(String path, String content) {
        public ConfigFile {
            RelativePaths.requireConfined(path);
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * How a task reports progress: a regular expression whose first group is the number of events
     * done so far, matched on each stdout line (or on the last line of {@code file}, when set); and
     * how it is told to stop early: by SIGTERM, or by creating {@code stopFile}. With
     * {@code checkpointDir}, the tool now and then writes a complete partial result of exactly E events
     * into {@code checkpointDir/E/} (the outputs' paths relative to it); the pilot uploads the newest,
     * so that the events survive the pilot. {@code stopAt}, when positive, is the task's first stop
     * target (its share of a dynamic run's total, {@link HeartbeatReply#stopAt()} for the later ones):
     * a run of a second is over before a heartbeat could bring one.
     */
    public record ProgressSpec(String pattern, String file, String stopFile, String checkpointDir, long stopAt) {
        public ProgressSpec {
            if (stopAt < 0) {
                throw new IllegalArgumentException("stopAt must not be negative, got " + stopAt);
            }
            Objects.requireNonNull(pattern, "pattern");
            if (file != null) {
                RelativePaths.requireConfined(file);
            }
            if (stopFile != null) {
                RelativePaths.requireConfined(stopFile);
            }
            if (checkpointDir != null) {
                RelativePaths.requireConfined(checkpointDir);
            }
        }

        /** Progress without a first stop target. */
        public ProgressSpec(String pattern, String file, String stopFile, String checkpointDir) {
            this(pattern, file, stopFile, checkpointDir, 0);
        }

        /** Progress without checkpoints. */
        public ProgressSpec(String pattern, String file, String stopFile) {
            this(pattern, file, stopFile, null);
        }

        /** The same, with this first stop target. */
        public ProgressSpec withStopAt(long events) {
            return new ProgressSpec(pattern, file, stopFile, checkpointDir, events);
        }
    }
}
