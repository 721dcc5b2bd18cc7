package org.escadrille.server.scheduling;

import java.util.Objects;
import org.escadrille.server.account.Account;

/**
 * A task handed to the scheduler by the engine.
 *
 * @param outputDir where its outputs land, in its owner's space
 * @param priority  among its owner's tasks, higher goes first (fair share decides between owners)
 */
public record NewTask(String id, String executionId, Account owner, int index, String label, String outputDir, TaskSpec spec,
                      int priority) {
    public NewTask(String id, String executionId, Account owner, int index, String label, String outputDir, TaskSpec spec) {
        this(id, executionId, owner, index, label, outputDir, spec, 0);
    }

    public NewTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(spec, "spec");
    }
}
