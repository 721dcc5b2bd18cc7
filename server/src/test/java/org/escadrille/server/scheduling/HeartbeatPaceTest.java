package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The heartbeat interval (and the lease with it) follows the pilots running tasks, within its bounds. */
class HeartbeatPaceTest {
    /** 15 s, a lease of 60 s, at most 60 s, 250 heartbeats a second: the server's defaults. */
    private final HeartbeatPace pace = new HeartbeatPace(15_000, 60_000, 60_000, 250);

    @Test
    void aPoolThatSendsLessThanTheBudgetKeepsTheConfiguredIntervalAndLease() {
        assertThat(pace.update(3_000, 0)).isEqualTo(15_000);
        assertThat(pace.leaseMs()).isEqualTo(60_000);
        assertThat(pace.update(3_750, 1_000)).as("exactly the budget at 15 s").isEqualTo(15_000);
    }

    @Test
    void aLargerPoolGetsAnIntervalThatKeepsItsHeartbeatsWithinTheBudgetAndALeaseAsManyTimesLonger() {
        assertThat(pace.update(10_000, 0)).as("10,000 pilots at 250 a second").isEqualTo(40_000);
        assertThat(pace.intervalMs()).isEqualTo(40_000);
        assertThat(pace.leaseMs()).isEqualTo(160_000);
    }

    @Test
    void theIntervalStopsAtItsLongest() {
        assertThat(pace.update(50_000, 0)).isEqualTo(60_000);
        assertThat(pace.leaseMs()).isEqualTo(240_000);
        assertThat(pace.maxLeaseMs()).isEqualTo(240_000);
    }

    @Test
    void aShrinkingPoolHalvesTheIntervalAtMostOncePerLongestInterval() {
        pace.update(15_000, 0);
        assertThat(pace.intervalMs()).isEqualTo(60_000);

        assertThat(pace.update(0, 1_000)).as("first fall: halved, not at once to 15 s").isEqualTo(30_000);
        assertThat(pace.update(0, 2_000)).as("within the longest interval of the last fall").isEqualTo(30_000);
        assertThat(pace.update(0, 60_999)).isEqualTo(30_000);
        assertThat(pace.update(0, 61_000)).isEqualTo(15_000);
        assertThat(pace.leaseMs()).isEqualTo(60_000);
    }

    @Test
    void aGrowingPoolLengthensTheIntervalAtOnceEvenRightAfterAFall() {
        pace.update(15_000, 0);
        pace.update(0, 1_000);
        assertThat(pace.update(12_500, 2_000)).isEqualTo(50_000);
    }

    @Test
    void aBudgetOfZeroKeepsTheConfiguredInterval() {
        var fixed = new HeartbeatPace(15_000, 60_000, 60_000, 0);
        assertThat(fixed.update(1_000_000, 0)).isEqualTo(15_000);
        assertThat(fixed.leaseMs()).isEqualTo(60_000);
    }

    @Test
    void inconsistentBoundsAreRefused() {
        assertThatThrownBy(() -> new HeartbeatPace(15_000, 10_000, 60_000, 250)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeartbeatPace(15_000, 60_000, 10_000, 250)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeartbeatPace(15_000, 60_000, 60_000, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
