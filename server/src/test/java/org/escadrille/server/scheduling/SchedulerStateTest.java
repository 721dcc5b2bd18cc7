package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The scheduler's memory answers for a task's attempts from its indexes, in step with every lease and release. */
class SchedulerStateTest {
    private final SchedulerState state = new SchedulerState(0);

    private Lease lease(String attemptId, QueuedTask task, String pilotId) {
        var lease = new Lease(attemptId, task, pilotId, "host", 0);
        state.lease(lease);
        return lease;
    }

    @Test
    void aTasksLeasesAreItsAttemptsStillLeasedAndNoOthers() {
        QueuedTask replicated = Tasks.definition().id("t1").queued();
        Lease original = lease("at1", replicated, "p1");
        Lease replica = lease("at2", replicated.replicaAvoiding("p1", 0), "p2");
        Lease other = lease("at3", Tasks.definition().id("t2").queued(), "p3");

        assertThat(state.leasesOfTask("t1")).containsExactlyInAnyOrder(original, replica);
        assertThat(state.leasesOfTask("t2")).containsExactly(other);
        assertThat(state.leasesOfTask("t9")).isEmpty();

        state.release(original);
        assertThat(state.leasesOfTask("t1")).containsExactly(replica);
        assertThat(state.hasLiveAttempt("t1")).isTrue();
        state.release(replica);
        assertThat(state.leasesOfTask("t1")).isEmpty();
        assertThat(state.hasLiveAttempt("t1")).isFalse();
        assertThat(state.leases).containsOnlyKeys("at3");
    }

    @Test
    void aTaskWithAnAttemptQueuedHasALiveAttemptUntilItIsTaken() {
        QueuedTask task = Tasks.definition().id("t1").queued();
        state.write(() -> state.enqueue(task)); // it signals the hand-off, under the lock

        assertThat(state.hasLiveAttempt("t1")).isTrue();
        state.queue.take(1, 0, "p1");
        assertThat(state.hasLiveAttempt("t1")).as("taken, not yet leased").isFalse();
        lease("at1", task, "p1");
        assertThat(state.hasLiveAttempt("t1")).isTrue();
    }

    @Test
    void aLeaseComesInOnlyThroughTheStateSoItsIndexCannotBeBypassed() {
        Lease lease = new Lease("at1", Tasks.definition().id("t1").queued(), "p1", "host", 0);

        assertThatThrownBy(() -> state.leases.put("at1", lease)).isInstanceOf(UnsupportedOperationException.class);
    }
}
