package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.escadrille.protocol.Completion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed attempt is the task's fault as far as we know: the task waits a backoff (500 ms, doubling),
 * avoids the pilot it failed on for ten seconds, and fails for good after its attempts. A lost attempt
 * is the infrastructure's: it counts against a larger allowance, and one lost before it started
 * against a larger one still.
 */
class RetriesAndBackoffTest {
    @TempDir
    Path dir;

    @Test
    void aFailedTaskWaitsItsBackoffBeforeAnyPilotGetsItAgain() {
        var rig = new SchedulerRig(dir);
        String failing = rig.pilot();
        String other = rig.pilot();
        var task = rig.submit(Tasks.definition().build()).get(0);
        rig.fail(failing, rig.leaseOne(failing));

        assertThat(rig.status(task.id())).isEqualTo("QUEUED");
        assertThat(rig.lease(other, 1)).as("within the backoff").isEmpty();
        rig.advance(Duration.ofMillis(499));
        assertThat(rig.lease(other, 1)).as("within the backoff").isEmpty();
        rig.advance(Duration.ofMillis(1));
        assertThat(rig.leaseOne(other).taskId()).isEqualTo(task.id());
    }

    @Test
    void theBackoffDoublesWithEachFailure() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        String other = rig.pilot();
        rig.submit(Tasks.definition().build());
        rig.fail(pilot, rig.leaseOne(pilot));
        rig.advance(Duration.ofMillis(500));
        rig.fail(other, rig.leaseOne(other));

        rig.advance(Duration.ofMillis(999));
        assertThat(rig.lease(rig.pilot(), 1)).as("999 ms after the second failure").isEmpty();
        rig.advance(Duration.ofMillis(1));
        assertThat(rig.lease(rig.pilot(), 1)).hasSize(1);
    }

    @Test
    void aFailedTaskAvoidsThePilotItFailedOnForTenSeconds() {
        var rig = new SchedulerRig(dir);
        String failing = rig.pilot();
        var task = rig.submit(Tasks.definition().build()).get(0);
        rig.fail(failing, rig.leaseOne(failing));

        rig.advance(Duration.ofMillis(500));
        assertThat(rig.lease(failing, 1)).as("just past the backoff, on the pilot it failed on").isEmpty();
        rig.advance(Duration.ofSeconds(10));
        assertThat(rig.leaseOne(failing).taskId()).as("when no other pilot took it").isEqualTo(task.id());
    }

    @Test
    void aTaskFailsForGoodAfterItsAttempts() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        var task = rig.submit(Tasks.definition().build()).get(0);

        for (int i = 0; i < 3; i++) {
            rig.advance(Duration.ofMinutes(1));
            rig.fail(pilot, rig.leaseOne(pilot));
        }

        assertThat(rig.status(task.id())).isEqualTo("FAILED");
        assertThat(rig.attempts(task.id())).containsExactly("FAILED", "FAILED", "FAILED");
        assertThat(rig.ended).containsExactly(task.id());
        rig.advance(Duration.ofMinutes(1));
        assertThat(rig.lease(pilot, 1)).isEmpty();
    }

    @Test
    void aTaskMayAskForFewerAttemptsThanTheServersSetting() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        var task = rig.submit(Tasks.definition().maxAttempts(1).build()).get(0);

        rig.fail(pilot, rig.leaseOne(pilot));

        assertThat(rig.status(task.id())).isEqualTo("FAILED");
    }

    @Test
    void lostAttemptsDoNotCountAgainstTheAttemptsOfATask() {
        var rig = new SchedulerRig(dir, SchedulerRig.settings(2, 10, 0));
        var task = rig.submit(Tasks.definition().build()).get(0);

        for (int i = 0; i < 5; i++) {
            loseRunning(rig);
        }

        assertThat(rig.status(task.id())).isEqualTo("QUEUED");
        assertThat(rig.attempts(task.id())).hasSize(5).containsOnly("LOST");
    }

    @Test
    void aTaskFailsForGoodAfterItsAllowanceOfLossesWhileRunning() {
        var rig = new SchedulerRig(dir, SchedulerRig.settings(3, 2, 0));
        var task = rig.submit(Tasks.definition().build()).get(0);

        loseRunning(rig);
        assertThat(rig.status(task.id())).isEqualTo("QUEUED");
        loseRunning(rig);

        assertThat(rig.status(task.id())).isEqualTo("FAILED");
        assertThat(rig.ended).containsExactly(task.id());
    }

    @Test
    void lossesBeforeTheTaskStartedHaveTheirOwnLargerAllowance() {
        var rig = new SchedulerRig(dir, SchedulerRig.settings(3, 1, 0));
        var task = rig.submit(Tasks.definition().build()).get(0);

        for (int i = 0; i < 9; i++) {
            String pilot = rig.pilot();
            rig.leaseOne(pilot);
            rig.scheduler.pilotGone(pilot, "died");
        }
        assertThat(rig.status(task.id())).as("after 9 losses before it started, 1 allowed while running").isEqualTo("QUEUED");

        String pilot = rig.pilot();
        rig.leaseOne(pilot);
        rig.scheduler.pilotGone(pilot, "died");
        assertThat(rig.status(task.id())).as("after the tenth").isEqualTo("FAILED");
    }

    @Test
    void aSuccessAfterAFailureEndsTheTaskWell() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        var task = rig.submit(Tasks.definition().build()).get(0);
        rig.fail(pilot, rig.leaseOne(pilot));
        rig.advance(Duration.ofMinutes(1));

        rig.complete(pilot, rig.leaseOne(pilot), Completion.Outcome.SUCCEEDED, 10);

        assertThat(rig.status(task.id())).isEqualTo("SUCCEEDED");
        assertThat(rig.attempts(task.id())).containsExactly("FAILED", "SUCCEEDED");
    }

    /** A new pilot takes the task, starts it, and dies. */
    private static void loseRunning(SchedulerRig rig) {
        String pilot = rig.pilot();
        rig.running(pilot, rig.leaseOne(pilot));
        rig.scheduler.pilotGone(pilot, "died");
    }
}
