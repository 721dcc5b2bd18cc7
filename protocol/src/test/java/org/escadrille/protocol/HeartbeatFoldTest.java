package org.escadrille.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rule by which a pilot folds its heartbeat into its lease requests, on an explicit clock (15 s interval). */
class HeartbeatFoldTest {
    private static final long INTERVAL = 15_000;

    @Test
    void statusesGoOutInALeaseRequestASecondAfterTheyLastWentOutAndOnlyWhileThePilotFolds() {
        var fold = new HeartbeatFold();

        assertThat(fold.carry(0, INTERVAL, false)).as("not folding: no attempt, or a server that takes none").isFalse();
        assertThat(fold.carry(0, INTERVAL, true)).as("never sent").isTrue();
        assertThat(fold.carry(999, INTERVAL, true)).as("within a second").isFalse();
        assertThat(fold.carry(1_000, INTERVAL, true)).isTrue();
        fold.heartbeatSent(5_000);
        assertThat(fold.carry(5_500, INTERVAL, true)).as("a heartbeat just took them").isFalse();
        assertThat(fold.carry(5_600, 200, true)).as("half an interval, when shorter than a second").isTrue();
    }

    @Test
    void aHeartbeatIsSkippedWhileARequestWithTheStatusesSentWithinTheIntervalWasAnsweredOrIsOnItsWay() {
        var fold = new HeartbeatFold();
        assertThat(fold.maySkip(0, INTERVAL, true)).as("nothing carried yet").isFalse();

        fold.carry(1_000, INTERVAL, true);
        assertThat(fold.maySkip(15_000, INTERVAL, true)).as("on its way, sent 14 s ago").isTrue();
        assertThat(fold.maySkip(15_000, INTERVAL, false)).as("no longer on its way, not answered").isFalse();
        assertThat(fold.maySkip(16_000, INTERVAL, true)).as("on its way for an interval").isFalse();

        fold.leaseAnswered();
        assertThat(fold.maySkip(15_999, INTERVAL, false)).as("answered, sent within the interval").isTrue();
        assertThat(fold.maySkip(16_000, INTERVAL, false)).as("answered, sent an interval ago").isFalse();
    }

    @Test
    void aLeaseRequestWithoutStatusesCountsForNothing() {
        var fold = new HeartbeatFold();
        fold.carry(0, INTERVAL, true);
        fold.carry(500, INTERVAL, true);

        fold.leaseAnswered();

        assertThat(fold.maySkip(600, INTERVAL, true)).as("the request answered carried none").isFalse();
    }

    @Test
    void anAnsweredHeartbeatCountsFromWhenItWasSent() {
        var fold = new HeartbeatFold();
        fold.heartbeatSent(1_000);
        fold.heartbeatAnswered(1_000);

        assertThat(fold.maySkip(15_999, INTERVAL, false)).isTrue();
        assertThat(fold.maySkip(16_000, INTERVAL, false)).isFalse();
    }
}
