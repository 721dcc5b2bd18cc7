package org.escadrille.server.scheduling;

import java.util.List;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.Ids;
import org.escadrille.server.account.Account;

/**
 * Tasks for tests, built by name rather than by the position of eight record components:
 * {@code Tasks.definition().owner(ALICE).priority(2).build()}. What is not said is a plain task
 * ({@code true}, no inputs, no tags) of a user called alice.
 */
final class Tasks {
    static final Account ALICE = new Account("u-alice", "alice", Account.Role.USER);
    static final Account BOB = new Account("u-bob", "bob", Account.Role.USER);

    private Tasks() {
    }

    static Builder definition() {
        return new Builder();
    }

    static final class Builder {
        private String id = Ids.newId();
        private Account owner = ALICE;
        private String executionId;
        private int priority;
        private List<String> pilotTags = List.of();
        private TaskAssignment.ProgressSpec progress;
        private Integer maxAttempts;
        private TaskSpec.Resources resources = TaskSpec.Resources.DEFAULT;

        Builder id(String id) {
            this.id = id;
            return this;
        }

        Builder owner(Account owner) {
            this.owner = owner;
            return this;
        }

        /** Default: {@code e-} and the owner's name, one execution per user. */
        Builder execution(String executionId) {
            this.executionId = executionId;
            return this;
        }

        Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        Builder pilotTags(String... tags) {
            this.pilotTags = List.of(tags);
            return this;
        }

        /** A task that reports events (and may be told to stop): a Monte-Carlo task. */
        Builder monteCarlo() {
            this.progress = new TaskAssignment.ProgressSpec("events=(\\d+)", null, null);
            this.maxAttempts = 1;
            return this;
        }

        /** A task that needs {@code cores} slots and {@code memoryMb} of memory (0: none) of its pilot. */
        Builder needs(int cores, long memoryMb) {
            this.resources = new TaskSpec.Resources(cores, memoryMb, 0);
            return this;
        }

        Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        TaskDefinition build() {
            var spec = new TaskSpec("true", List.of(), List.of(), List.of(), null, null, 0, progress, maxAttempts,
                    pilotTags, false, resources);
            return new TaskDefinition(id, executionId != null ? executionId : "e-" + owner.username(), owner, 0, id,
                    "out", spec, priority);
        }

        /** As the scheduler queues it before its first attempt. */
        QueuedTask queued() {
            return new QueuedTask(build(), 0, 0, 0, 0, 0);
        }
    }
}
