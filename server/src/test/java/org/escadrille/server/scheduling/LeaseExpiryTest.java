package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.escadrille.protocol.Order;
import org.escadrille.server.Ids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lease lasts 60 s from its grant, its latest heartbeat or its pilot's latest call that the server shed; one that
 * runs out gives its task back.
 */
class LeaseExpiryTest {
    @TempDir
    Path dir;

    @Test
    void aLeaseNotRenewedPastItsDeadlineReturnsItsTaskToTheQueue() {
        var rig = new SchedulerRig(dir);
        String silent = rig.pilot();
        String other = rig.pilot();
        var task = rig.submit(Tasks.definition().build()).get(0);
        var first = rig.leaseOne(silent);

        rig.advance(Duration.ofSeconds(61));
        rig.scheduler.expireLeases();

        var second = rig.leaseOne(other);
        assertThat(second.taskId()).isEqualTo(task.id());
        assertThat(rig.attemptStatus(first)).isEqualTo("LOST");

        rig.succeed(silent, first);
        assertThat(rig.attemptStatus(first)).as("after its late completion").isEqualTo("LOST");
        assertThat(rig.status(task.id())).isEqualTo("LEASED");
    }

    @Test
    void aLeaseWhosePilotsCallsAreShedLivesOnALeasePeriodFromTheLastShedCall() {
        var rig = new SchedulerRig(dir);
        var pilot = rig.registeredPilot();
        var task = rig.submit(Tasks.definition().build()).get(0);
        var attempt = rig.leaseOne(pilot.pilotId());

        rig.advance(Duration.ofSeconds(50));
        rig.pilots.shed(pilot.token()); // its heartbeat, turned away by an overloaded server
        rig.advance(Duration.ofSeconds(20));
        rig.scheduler.expireLeases();

        assertThat(rig.attemptStatus(attempt)).as("70 s after the grant, 20 s after a shed call").isEqualTo("LEASED");
        assertThat(rig.lease(rig.pilot(), 1)).isEmpty();

        rig.advance(Duration.ofSeconds(41));
        rig.scheduler.expireLeases();

        assertThat(rig.attemptStatus(attempt)).as("past a lease period after the shed call").isEqualTo("LOST");
        assertThat(rig.leaseOne(rig.pilot()).taskId()).isEqualTo(task.id());
    }

    @Test
    void aShedCallWithoutAGoodSessionTokenKeepsNoLeaseAlive() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        rig.submit(Tasks.definition().build());
        var attempt = rig.leaseOne(pilot);

        rig.advance(Duration.ofSeconds(50));
        rig.pilots.shed(Ids.newSecret());
        rig.pilots.shed(null);
        rig.advance(Duration.ofSeconds(11));
        rig.scheduler.expireLeases();

        assertThat(rig.attemptStatus(attempt)).isEqualTo("LOST");
    }

    @Test
    void aLeaseIsNotExpiredBeforeItsDeadline() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        rig.submit(Tasks.definition().build());
        var attempt = rig.leaseOne(pilot);

        rig.advance(Duration.ofSeconds(59));
        rig.scheduler.expireLeases();

        assertThat(rig.lease(rig.pilot(), 1)).isEmpty();
        assertThat(rig.attemptStatus(attempt)).isEqualTo("LEASED");
    }

    @Test
    void aLeaseRenewedByHeartbeatsOutlivesItsFirstDeadline() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        rig.submit(Tasks.definition().build());
        var attempt = rig.leaseOne(pilot);

        for (int i = 0; i < 4; i++) {
            rig.advance(Duration.ofSeconds(40));
            assertThat(rig.running(pilot, attempt).orders()).isEmpty();
            rig.scheduler.expireLeases();
        }

        assertThat(rig.lease(rig.pilot(), 1)).as("160 s after the grant, nothing was given back").isEmpty();
        assertThat(rig.attemptStatus(attempt)).isEqualTo("RUNNING");
        assertThat(rig.scheduler.holds(pilot, attempt.attemptId())).isTrue();
    }

    @Test
    void aHeartbeatForAnAttemptThatIsNoLongerThePilotsIsToldToAbandonIt() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        rig.submit(Tasks.definition().build());
        var attempt = rig.leaseOne(pilot);
        rig.advance(Duration.ofSeconds(61));
        rig.scheduler.expireLeases();

        assertThat(rig.running(pilot, attempt).orders())
                .containsExactly(new Order(attempt.attemptId(), Order.Kind.ABANDON));
    }

    @Test
    void theLeasesOfAPilotKnownToBeGoneEndAtOnceAndItTakesNoMoreWork() {
        var rig = new SchedulerRig(dir);
        String dead = rig.pilot();
        var task = rig.submit(Tasks.definition().build(), Tasks.definition().build()).get(0);
        var attempt = rig.leaseOne(dead);

        rig.scheduler.pilotGone(dead, "died");

        assertThat(rig.attemptStatus(attempt)).isEqualTo("LOST");
        assertThat(rig.lease(dead, 2)).isEmpty();
        assertThat(rig.lease(rig.pilot(), 2)).extracting(a -> a.taskId()).contains(task.id());
    }
}
