package org.escadrille.server.scheduling;

import java.util.Objects;
import org.escadrille.server.account.Account;

/**
 * The permanent definition of a task, as the engine hands it to the scheduler: what runs, for whom,
 * where its outputs go. Attempts come and go; this does not.
 *
 * @param outputDir where its outputs land, in its owner's space
 * @param priority  among its owner's tasks, higher goes first (fair share decides between owners)
 * @param cacheKey  what decides its outputs, hashed (the task cache finds an earlier task of the same owner
 *                  by it); null for a task that is never reused nor reuses (a Monte-Carlo task, a tool that opts out)
 */
public record TaskDefinition(String id, String executionId, Account owner, int index, String label, String outputDir, TaskSpec spec,
                             int priority, String cacheKey) {
    public TaskDefinition(String id, String executionId, Account owner, int index, String label, String outputDir, TaskSpec spec) {
        this(id, executionId, owner, index, label, outputDir, spec, 0);
    }

    /** A task outside the task cache. */
    public TaskDefinition(String id, String executionId, Account owner, int index, String label, String outputDir, TaskSpec spec,
                          int priority) {
        this(id, executionId, owner, index, label, outputDir, spec, priority, null);
    }

    public TaskDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(spec, "spec");
    }
}
