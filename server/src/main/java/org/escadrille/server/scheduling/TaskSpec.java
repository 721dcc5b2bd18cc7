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
        Boolean network) {

    public TaskSpec {
        Objects.requireNonNull(commandLine, "commandLine");
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        configFiles = configFiles == null ? List.of() : List.copyOf(configFiles);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        pilotTags = pilotTags == null ? List.of() : List.copyOf(pilotTags);
        network = Boolean.TRUE.equals(network);
    }

    /** A task without network. */
    public TaskSpec(String commandLine, List<StagedInput> inputs, List<TaskAssignment.OutputSpec> outputs,
                    List<TaskAssignment.ConfigFile> configFiles, Map<String, String> environment, String containerImage,
                    long timeLimitSeconds, TaskAssignment.ProgressSpec progress, Integer maxAttempts,
                    List<String> pilotTags) {
        this(commandLine, inputs, outputs, configFiles, environment, containerImage, timeLimitSeconds, progress,
                maxAttempts, pilotTags, false);
    }

    /** An input file: {@code path} in the working directory, {@code storageKey} on the storage element. */
    public record StagedInput(String path, String storageKey, long size, String sha256) {
    }
}
