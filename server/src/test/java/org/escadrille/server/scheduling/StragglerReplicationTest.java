package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.Order;
import org.escadrille.protocol.TaskAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attempt running longer than 3 times the median of its execution's finished ones (and than a
 * floor, 1 s here) gets a replica on another pilot; the first to succeed wins and the other is cancelled.
 */
class StragglerReplicationTest {
    @TempDir
    Path dir;

    private SchedulerRig rig;
    private String slow;
    private String other;
    private TaskDefinition straggler;
    private TaskAssignment original;

    /** Three tasks of the execution took 1 s each on the slow pilot; the fourth started there now. */
    private void aFourthTaskRunsAfterThreeTookOneSecond() {
        rig = new SchedulerRig(dir);
        slow = rig.pilot();
        other = rig.pilot();
        var tasks = rig.submit(task("t1"), task("t2"), task("t3"), task("t4"));
        for (var attempt : rig.lease(slow, 3)) {
            rig.complete(slow, attempt, Completion.Outcome.SUCCEEDED, 1_000);
        }
        straggler = tasks.get(3);
        original = rig.leaseOne(slow);
        rig.running(slow, original);
    }

    private static TaskDefinition task(String id) {
        return Tasks.definition().id(id).execution("e").build();
    }

    @Test
    void anAttemptSlowerThanThreeTimesTheMedianGetsAReplicaOnAnotherPilot() {
        aFourthTaskRunsAfterThreeTookOneSecond();

        rig.advance(Duration.ofMillis(3_001));
        rig.scheduler.replicateStragglers();

        assertThat(rig.lease(slow, 1)).as("the pilot running the original").isEmpty();
        var replica = rig.leaseOne(other);
        assertThat(replica.taskId()).isEqualTo(straggler.id());
        assertThat(replica.attemptId()).isNotEqualTo(original.attemptId());
    }

    @Test
    void anAttemptWithinThreeTimesTheMedianIsLeftAlone() {
        aFourthTaskRunsAfterThreeTookOneSecond();

        rig.advance(Duration.ofMillis(3_000));
        rig.scheduler.replicateStragglers();

        assertThat(rig.lease(other, 1)).isEmpty();
    }

    @Test
    void anAttemptWhoseCommandHasEndedIsNoStragglerHoweverLateItsReport() {
        aFourthTaskRunsAfterThreeTookOneSecond();
        rig.advance(Duration.ofMillis(500));
        rig.uploading(slow, original);

        rig.advance(Duration.ofSeconds(60));
        rig.scheduler.replicateStragglers();

        assertThat(rig.lease(other, 1)).as("a replica would run again what is done").isEmpty();
        rig.complete(slow, original, Completion.Outcome.SUCCEEDED, 1_000);
        assertThat(rig.lease(other, 1)).isEmpty();
    }

    @Test
    void aStragglerIsReplicatedOnce() {
        aFourthTaskRunsAfterThreeTookOneSecond();
        rig.advance(Duration.ofSeconds(4));
        rig.scheduler.replicateStragglers();
        rig.running(other, rig.leaseOne(other));

        rig.advance(Duration.ofSeconds(10));
        rig.scheduler.replicateStragglers();

        assertThat(rig.lease(rig.pilot(), 1)).isEmpty();
    }

    @Test
    void whenTheReplicaWinsTheOriginalIsCancelled() {
        aFourthTaskRunsAfterThreeTookOneSecond();
        rig.advance(Duration.ofSeconds(4));
        rig.scheduler.replicateStragglers();
        var replica = rig.leaseOne(other);

        rig.complete(other, replica, Completion.Outcome.SUCCEEDED, 500);

        assertThat(rig.status(straggler.id())).isEqualTo("SUCCEEDED");
        assertThat(rig.running(slow, original).orders())
                .containsExactly(new Order(original.attemptId(), Order.Kind.CANCEL));
        rig.complete(slow, original, Completion.Outcome.SUCCEEDED, 5_000);
        assertThat(rig.attemptStatus(original)).as("the original, finishing after the replica won")
                .isEqualTo("CANCELLED");
        assertThat(rig.status(straggler.id())).isEqualTo("SUCCEEDED");
        assertThat(rig.ended).containsOnlyOnce(straggler.id());
    }

    @Test
    void whenTheOriginalWinsTheReplicaIsCancelled() {
        aFourthTaskRunsAfterThreeTookOneSecond();
        rig.advance(Duration.ofSeconds(4));
        rig.scheduler.replicateStragglers();
        var replica = rig.leaseOne(other);

        rig.complete(slow, original, Completion.Outcome.SUCCEEDED, 4_000);

        assertThat(rig.running(other, replica).orders()).containsExactly(new Order(replica.attemptId(), Order.Kind.CANCEL));
        rig.complete(other, replica, Completion.Outcome.CANCELLED, 100);
        assertThat(rig.status(straggler.id())).isEqualTo("SUCCEEDED");
        assertThat(rig.attemptStatus(replica)).isEqualTo("CANCELLED");
    }

    @Test
    void aFailedReplicaLeavesTheTaskToTheOriginal() {
        aFourthTaskRunsAfterThreeTookOneSecond();
        rig.advance(Duration.ofSeconds(4));
        rig.scheduler.replicateStragglers();
        var replica = rig.leaseOne(other);

        rig.fail(other, replica);

        assertThat(rig.status(straggler.id())).as("neither retried nor failed").isIn("LEASED", "RUNNING");
        rig.advance(Duration.ofMinutes(1));
        assertThat(rig.lease(rig.pilot(), 1)).as("no retry of the replica").isEmpty();
        assertThat(rig.running(slow, original).orders()).isEmpty();
        rig.complete(slow, original, Completion.Outcome.SUCCEEDED, 6_000);
        assertThat(rig.status(straggler.id())).isEqualTo("SUCCEEDED");
    }

    @Test
    void aLostOriginalLeavesTheTaskToItsReplica() {
        aFourthTaskRunsAfterThreeTookOneSecond();
        rig.advance(Duration.ofSeconds(4));
        rig.scheduler.replicateStragglers();
        var replica = rig.leaseOne(other);

        rig.scheduler.pilotGone(slow, "died");

        assertThat(rig.attemptStatus(original)).isEqualTo("LOST");
        assertThat(rig.lease(rig.pilot(), 1)).as("no third attempt: the replica runs").isEmpty();
        rig.complete(other, replica, Completion.Outcome.SUCCEEDED, 500);
        assertThat(rig.status(straggler.id())).isEqualTo("SUCCEEDED");
    }
}
