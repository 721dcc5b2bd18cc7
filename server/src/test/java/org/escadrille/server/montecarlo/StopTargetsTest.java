package org.escadrille.server.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StopTargetsTest {

    private final StopTargets targets = new StopTargets();

    @Test
    void noTaskReportedYetMeansNoTargets() {
        assertThat(targets.share(1_000, 0).targets()).isEmpty();
    }

    @Test
    void tasksJustStartedShareTheTotalEqually() {
        targets.started("a");
        targets.started("b");

        assertThat(targets.share(1_001, 0).targets()).containsEntry("a", 501L).containsEntry("b", 501L);
    }

    @Test
    void aTaskThatHasNotReportedYetStillHasItsShare() {
        targets.started("late");
        targets.progress("a", 0, 0);
        targets.progress("a", 1_000, 1_000);

        var share = targets.share(5_000, 1_000);

        // a does 1 event/ms and is at 1,000; "late" is taken as as fast, from zero: 2,000 ms more for both.
        assertThat(share.targets()).containsEntry("a", 3_000L).containsEntry("late", 2_000L);
    }

    @Test
    void countsWithoutRatesLeaveTheSharesGivenSoFar() {
        targets.started("a");
        targets.progress("a", 100, 0);
        targets.progress("b", 300, 0);

        var share = targets.share(1_000, 50);

        assertThat(share.targets()).isEmpty();
        assertThat(share.untilEndMs()).isInfinite();
    }

    @Test
    void theRemainderIsSharedByRateSoThatTheTasksEndTogetherOnTheTotal() {
        // a does 1 event/ms, b 3 events/ms.
        targets.progress("a", 0, 0);
        targets.progress("b", 0, 0);
        targets.progress("a", 1_000, 1_000);
        targets.progress("b", 3_000, 1_000);

        var share = targets.share(10_000, 1_000);

        // 6,000 left at 4 events/ms: 1,500 ms more, a to 2,500 and b to 7,500.
        assertThat(share.untilEndMs()).isEqualTo(1_500);
        assertThat(share.targets()).containsEntry("a", 2_500L).containsEntry("b", 7_500L);
        assertThat(share.targets().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000);
    }

    @Test
    void countsAreProjectedToNowFromTheirRates() {
        targets.progress("a", 0, 0);
        targets.progress("a", 1_000, 1_000);

        // Heard 500 ms ago: it has done about 1,500 by now, and does the rest alone.
        var share = targets.share(2_000, 1_500);

        assertThat(share.untilEndMs()).isEqualTo(500);
        assertThat(share.targets()).containsEntry("a", 2_000L);
    }

    @Test
    void aTaskWithoutAMeasuredRateIsTakenAsFastAsTheOthers() {
        targets.progress("a", 0, 0);
        targets.progress("a", 2_000, 1_000);
        targets.progress("late", 0, 1_000);

        var share = targets.share(6_000, 1_000);

        assertThat(share.targets()).containsEntry("a", 4_000L).containsEntry("late", 2_000L);
    }

    @Test
    void anEndedTaskLeavesItsShareToTheOthers() {
        targets.progress("a", 0, 0);
        targets.progress("b", 0, 0);
        targets.progress("a", 1_000, 1_000);
        targets.progress("b", 1_000, 1_000);

        targets.ended("b");

        assertThat(targets.share(4_000, 1_000).targets()).containsOnlyKeys("a").containsEntry("a", 4_000L);
    }

    @Test
    void aTotalAlreadyPassedStopsEveryTaskWhereItIs() {
        targets.progress("a", 0, 0);
        targets.progress("a", 1_000, 1_000);

        var share = targets.share(500, 1_000);

        assertThat(share.untilEndMs()).isZero();
        assertThat(share.targets()).containsEntry("a", 1_000L);
    }
}
