package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.EscadrilleProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler paces the heartbeats of the pilots that run tasks ({@link HeartbeatPace}): past its budget their
 * interval grows, their replies say so, and their leases live as many times longer. Here the budget is one
 * heartbeat a second, so that 40 pilots running tasks make an interval of 40 s (15 s configured, 60 s at most).
 */
class HeartbeatPacingTest {
    private static final EscadrilleProperties.Scheduling ONE_A_SECOND = new EscadrilleProperties.Scheduling(
            Duration.ofSeconds(60), Duration.ofSeconds(15), 3, 10, Duration.ofSeconds(1), 0, 3.0, Duration.ofSeconds(1),
            1, Duration.ofSeconds(60));

    @TempDir
    Path dir;

    @Test
    void aPoolOfBusyPilotsIsToldALongerIntervalAndItsRenewedLeasesLiveAsManyTimesLonger() {
        var rig = new SchedulerRig(dir, ONE_A_SECOND);
        var running = busyPilots(rig, 40);
        assertThat(rig.running(running.get(0).pilotId(), running.get(0).attempt()).heartbeatIntervalMs())
                .as("before the pace is updated").isEqualTo(15_000);

        rig.scheduler.paceHeartbeats();
        assertThat(rig.scheduler.heartbeatIntervalMs()).isEqualTo(40_000);
        assertThat(rig.scheduler.leaseMs()).isEqualTo(160_000);
        var first = running.get(0);
        assertThat(rig.running(first.pilotId(), first.attempt()).heartbeatIntervalMs()).isEqualTo(40_000);

        rig.advance(Duration.ofSeconds(100));
        rig.scheduler.expireLeases();
        assertThat(rig.attemptStatus(first.attempt())).as("100 s after a heartbeat told 40 s").isEqualTo("RUNNING");
        assertThat(rig.attemptStatus(running.get(1).attempt())).as("100 s after its last heartbeat at 15 s")
                .isEqualTo("LOST");

        rig.advance(Duration.ofSeconds(61));
        rig.scheduler.expireLeases();
        assertThat(rig.attemptStatus(first.attempt())).as("past four intervals of 40 s").isEqualTo("LOST");
    }

    @Test
    void aTaskGrantedWhileThePaceIsLongGetsTheLongerLease() {
        var rig = new SchedulerRig(dir, ONE_A_SECOND);
        busyPilots(rig, 40);
        rig.scheduler.paceHeartbeats();
        rig.submit(Tasks.definition().build());
        var late = rig.leaseOne(rig.pilot());

        rig.advance(Duration.ofSeconds(159));
        rig.scheduler.expireLeases();
        assertThat(rig.attemptStatus(late)).isEqualTo("LEASED");
        rig.advance(Duration.ofSeconds(2));
        rig.scheduler.expireLeases();
        assertThat(rig.attemptStatus(late)).isEqualTo("LOST");
    }

    @Test
    void whenThePoolEmptiesTheIntervalFallsBackHalfAtATime() {
        var rig = new SchedulerRig(dir, ONE_A_SECOND);
        var running = busyPilots(rig, 60);
        rig.scheduler.paceHeartbeats();
        assertThat(rig.scheduler.heartbeatIntervalMs()).isEqualTo(60_000);

        running.forEach(busy -> rig.succeed(busy.pilotId(), busy.attempt()));
        rig.scheduler.paceHeartbeats();
        assertThat(rig.scheduler.heartbeatIntervalMs()).isEqualTo(30_000);
        rig.advance(Duration.ofSeconds(60));
        rig.scheduler.paceHeartbeats();
        assertThat(rig.scheduler.heartbeatIntervalMs()).isEqualTo(15_000);
        assertThat(rig.scheduler.leaseMs()).isEqualTo(60_000);
    }

    @Test
    void aPilotWithManyAttemptsCountsOnce() {
        var rig = new SchedulerRig(dir, ONE_A_SECOND);
        for (int i = 0; i < 40; i++) {
            rig.submit(Tasks.definition().build());
        }
        String big = rig.pilot();
        assertThat(rig.lease(big, 40)).hasSize(40);

        rig.scheduler.paceHeartbeats();
        assertThat(rig.scheduler.heartbeatIntervalMs()).as("one pilot sends one heartbeat for all its attempts")
                .isEqualTo(15_000);
    }

    @Test
    void leasesFoundAtAStartAssumeTheLongestInterval() {
        var rig = new SchedulerRig(dir, ONE_A_SECOND);
        var running = busyPilots(rig, 1);
        var restarted = rig.restarted();

        rig.advance(Duration.ofSeconds(239));
        restarted.expireLeases();
        assertThat(rig.attemptStatus(running.get(0).attempt())).isEqualTo("LEASED");
        rig.advance(Duration.ofSeconds(2));
        restarted.expireLeases();
        assertThat(rig.attemptStatus(running.get(0).attempt())).isEqualTo("LOST");
    }

    private record Busy(String pilotId, TaskAssignment attempt) {
    }

    /** {@code count} pilots, each running one task. */
    private static List<Busy> busyPilots(SchedulerRig rig, int count) {
        var busy = new ArrayList<Busy>();
        for (int i = 0; i < count; i++) {
            rig.submit(Tasks.definition().build());
            String pilot = rig.pilot();
            busy.add(new Busy(pilot, rig.leaseOne(pilot)));
        }
        return busy;
    }
}
