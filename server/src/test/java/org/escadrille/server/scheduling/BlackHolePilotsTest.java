package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.escadrille.protocol.Completion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pilot whose attempts fail fast five times in a row while others succeed is a black hole: it gets
 * no more tasks, and operators see it as one. {@link BlackHolesTest} holds the counting itself.
 */
class BlackHolePilotsTest {
    @TempDir
    Path dir;

    @Test
    void aPilotFailingEverythingFastWhileAnotherSucceedsGetsNoMoreTasks() {
        var rig = new SchedulerRig(dir);
        String hole = rig.pilot();
        String good = rig.pilot();
        rig.submit(tasks(10));
        failFast(rig, hole, 5);

        rig.succeed(good, rig.leaseOne(good));

        assertThat(rig.scheduler.isBlackHole(hole)).isTrue();
        rig.advance(Duration.ofMinutes(1));
        assertThat(rig.lease(hole, 4)).isEmpty();
        assertThat(rig.jdbc.sql("SELECT state FROM pilots WHERE id = ?").param(hole).query(String.class).single())
                .isEqualTo("BLACKHOLE");
        assertThat(rig.lease(good, 4)).hasSize(4);
    }

    @Test
    void slowFailuresSayNothingAboutThePilot() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        String good = rig.pilot();
        rig.submit(tasks(10));
        for (int i = 0; i < 5; i++) {
            rig.advance(Duration.ofMinutes(1));
            rig.complete(pilot, rig.leaseOne(pilot), Completion.Outcome.FAILED, 30_000);
        }

        rig.succeed(good, rig.leaseOne(good));

        assertThat(rig.scheduler.isBlackHole(pilot)).isFalse();
        rig.advance(Duration.ofMinutes(1));
        assertThat(rig.lease(pilot, 1)).hasSize(1);
    }

    @Test
    void failingFastEverywhereIsTheTasksFaultNotThePilots() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        rig.submit(tasks(10));

        failFast(rig, pilot, 6);

        assertThat(rig.scheduler.isBlackHole(pilot)).isFalse();
        rig.advance(Duration.ofMinutes(1));
        assertThat(rig.lease(pilot, 1)).hasSize(1);
    }

    private static void failFast(SchedulerRig rig, String pilot, int times) {
        for (int i = 0; i < times; i++) {
            rig.advance(Duration.ofMinutes(1));
            rig.fail(pilot, rig.leaseOne(pilot));
        }
    }

    private static TaskDefinition[] tasks(int count) {
        var tasks = new TaskDefinition[count];
        for (int i = 0; i < count; i++) {
            tasks[i] = Tasks.definition().build();
        }
        return tasks;
    }
}
