package org.escadrille.server.scheduling;

import java.util.List;
import java.util.Objects;

/**
 * A task that does not run: it succeeded in an earlier execution (the one a re-run of only what failed
 * re-runs, or any of its owner's for a hit of the task cache), whose outputs were copied into the new
 * execution's folder.
 *
 * @param task       the new task, as it would have been queued
 * @param reusedFrom the earlier execution's task whose outputs these are
 * @param outputs    the copies, in the owner's space
 * @param cached     whether the task cache found it (rather than a re-run of what failed)
 */
public record ReusedTask(TaskDefinition task, String reusedFrom, List<Output> outputs, boolean cached) {
    public ReusedTask {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(reusedFrom, "reusedFrom");
        outputs = List.copyOf(outputs);
    }

    /** A task a re-run of only what failed reuses. */
    public ReusedTask(TaskDefinition task, String reusedFrom, List<Output> outputs) {
        this(task, reusedFrom, outputs, false);
    }

    /** One copied output file. */
    public record Output(String outputId, String path, long size, String sha256) {
    }
}
