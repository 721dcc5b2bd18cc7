package org.escadrille.server.scheduling;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.escadrille.protocol.TaskAssignment;

/**
 * Everything a pilot needs to run one task, fixed when the execution is expanded (the engine renders
 * the command; the pilot renders nothing). Stored as JSON in {@code tasks.spec}.
 *
 * @param inputs      files to stage: where in the working directory, and which storage object
 * @param pilotTags   tags a pilot must have registered with to get this task (the descriptor's
 *                    {@code custom."escadrille:pilot-tags"})
 * @param maxAttempts attempts this task gets (null: the server's setting); a dynamically split
 *                    Monte-Carlo task gets one, since the others make up for a lost one
 * @param network     whether the task may reach the network (the descriptor's {@code custom."escadrille:network"});
 *                    null (a task stored before the grant existed) is no
 * @param resources   what one run needs of a pilot (the descriptor's {@code suggested-resources}); null (a
 *                    task stored before they were carried) is {@link Resources#DEFAULT}
 */
public record TaskSpec(
        String commandLine,
        List<StagedInput> inputs,
        List<TaskAssignment.OutputSpec> outputs,
        List<TaskAssignment.ConfigFile> configFiles,
        Map<String, String> environment,
        String containerImage,
        long timeLimitSeconds,
        TaskAssignment.ProgressSpec progress,
        Integer maxAttempts,
        List<String> pilotTags,
        Boolean network,
        Resources resources) {

    public TaskSpec {
        Objects.requireNonNull(commandLine, "commandLine");
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        configFiles = configFiles == null ? List.of() : List.copyOf(configFiles);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        pilotTags = pilotTags == null ? List.of() : List.copyOf(pilotTags);
        network = Boolean.TRUE.equals(network);
        resources = resources == null ? Resources.DEFAULT : resources;
    }

    /** A task with the default resources (one core, no memory requirement). */
    public TaskSpec(String commandLine, List<StagedInput> inputs, List<TaskAssignment.OutputSpec> outputs,
                    List<TaskAssignment.ConfigFile> configFiles, Map<String, String> environment, String containerImage,
                    long timeLimitSeconds, TaskAssignment.ProgressSpec progress, Integer maxAttempts,
                    List<String> pilotTags, Boolean network) {
        this(commandLine, inputs, outputs, configFiles, environment, containerImage, timeLimitSeconds, progress,
                maxAttempts, pilotTags, network, Resources.DEFAULT);
    }

    /** A task without network. */
    public TaskSpec(String commandLine, List<StagedInput> inputs, List<TaskAssignment.OutputSpec> outputs,
                    List<TaskAssignment.ConfigFile> configFiles, Map<String, String> environment, String containerImage,
                    long timeLimitSeconds, TaskAssignment.ProgressSpec progress, Integer maxAttempts,
                    List<String> pilotTags) {
        this(commandLine, inputs, outputs, configFiles, environment, containerImage, timeLimitSeconds, progress,
                maxAttempts, pilotTags, false);
    }

    /**
     * What one run of the task needs of a pilot: {@code cores} of its slots (a task needing 4 occupies 4)
     * and {@code memoryMb} of the memory it offers (0: no requirement), both held from its lease to its
     * end; and how long it is expected to run (0: not said), which pilots near their batch time limit
     * read.
     */
    public record Resources(int cores, long memoryMb, long walltimeEstimateSeconds) {
        public static final Resources DEFAULT = new Resources(1, 0, 0);

        public Resources {
            if (cores < 1) {
                throw new IllegalArgumentException("a task needs at least one core, got " + cores);
            }
            if (memoryMb < 0 || walltimeEstimateSeconds < 0) {
                throw new IllegalArgumentException("memory and walltime estimate must not be negative");
            }
        }
    }

    /** An input file: {@code path} in the working directory, {@code storageKey} on the storage element. */
    public record StagedInput(String path, String storageKey, long size, String sha256) {
    }
}
