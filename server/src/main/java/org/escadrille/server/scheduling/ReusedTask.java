package org.escadrille.server.scheduling;

import java.util.List;
import java.util.Objects;

/**
 * A task of a re-run of only what failed that does not run: it succeeded in the earlier execution,
 * whose outputs were copied into the new execution's folder.
 *
 * @param task       the new task, as it would have been queued
 * @param reusedFrom the earlier execution's task whose outputs these are
 * @param outputs    the copies, in the owner's space
 */
public record ReusedTask(TaskDefinition task, String reusedFrom, List<Output> outputs) {
    public ReusedTask {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(reusedFrom, "reusedFrom");
        outputs = List.copyOf(outputs);
    }

    /** One copied output file. */
    public record Output(String outputId, String path, long size, String sha256) {
    }
}
