package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.account.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the whole scheduler: a user with many tasks queued first does not starve one with few, and
 * no user runs more tasks at once than the quota. {@link FairShareQueueTest} holds the queue's finer rules.
 */
class FairShareAndQuotaTest {
    @TempDir
    Path dir;

    @Test
    void aUserWithFewTasksIsServedAlongsideOneWhoQueuedManyBefore() {
        var rig = new SchedulerRig(dir);
        rig.submit(tasks(Tasks.ALICE, 50));
        var bobs = rig.submit(tasks(Tasks.BOB, 2));
        String pilot = rig.pilot();

        var granted = new ArrayList<TaskAssignment>();
        for (int i = 0; i < 4; i++) {
            granted.add(rig.leaseOne(pilot));
        }

        assertThat(granted).extracting(TaskAssignment::taskId)
                .contains(bobs.get(0).id(), bobs.get(1).id());
    }

    @Test
    void aUserNeverRunsMoreTasksThanTheQuota() {
        var rig = new SchedulerRig(dir, SchedulerRig.settings(3, 10, 2));
        var alices = rig.submit(tasks(Tasks.ALICE, 10)).stream().map(TaskDefinition::id).toList();
        String pilot = rig.pilot();

        var first = rig.lease(pilot, 8);
        assertThat(first).hasSize(2);
        assertThat(rig.lease(rig.pilot(), 8)).as("another pilot, same user").isEmpty();

        rig.succeed(pilot, first.get(0));
        var next = rig.lease(pilot, 8);
        assertThat(next).hasSize(1);
        assertThat(next.get(0).taskId()).isIn(alices);
    }

    @Test
    void aUserAtTheQuotaDoesNotHoldBackTheOthers() {
        var rig = new SchedulerRig(dir, SchedulerRig.settings(3, 10, 2));
        rig.submit(tasks(Tasks.ALICE, 10));
        rig.submit(tasks(Tasks.BOB, 10));

        var granted = rig.lease(rig.pilot(), 8);

        assertThat(granted).hasSize(4);
        assertThat(rig.scheduler.leasedCount()).isEqualTo(4);
    }

    @Test
    void aLostAttemptFreesItsSlotOfTheQuota() {
        var rig = new SchedulerRig(dir, SchedulerRig.settings(3, 10, 1));
        rig.submit(tasks(Tasks.ALICE, 3));
        String dead = rig.pilot();
        rig.leaseOne(dead);

        rig.scheduler.pilotGone(dead, "died");

        assertThat(rig.lease(rig.pilot(), 4)).hasSize(1);
    }

    private static TaskDefinition[] tasks(Account owner, int count) {
        List<TaskDefinition> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(Tasks.definition().owner(owner).build());
        }
        return tasks.toArray(TaskDefinition[]::new);
    }
}
