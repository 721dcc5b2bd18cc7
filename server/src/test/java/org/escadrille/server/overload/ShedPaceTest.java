package org.escadrille.server.overload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShedPaceTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final ShedPace pace = new ShedPace(now::get);

    @Test
    void aSecondThatShedTenTimesWhatItAdmittedAsksForTheNextSheddingToSpreadOverTenSeconds() {
        record(100, 1_000);
        now.incrementAndGet();

        assertThat(pace.shedPerAdmitted()).isEqualTo(10.0);
    }

    @Test
    void moreAdmittedThanShedLeavesTheWaitAsItIs() {
        record(500, 20);
        now.incrementAndGet();

        assertThat(pace.shedPerAdmitted()).isEqualTo(1.0);
    }

    @Test
    void theRatioFollowsTheLastWholeSecondOnly() {
        record(100, 1_000);
        now.incrementAndGet();
        record(100, 200);
        now.incrementAndGet();

        assertThat(pace.shedPerAdmitted()).isEqualTo(2.0);
    }

    @Test
    void aQuietGapEndsTheSpread() {
        record(10, 1_000);
        now.addAndGet(5);

        assertThat(pace.shedPerAdmitted()).isEqualTo(1.0);
    }

    @Test
    void nothingAdmittedCountsAsOne() {
        record(0, 30);
        now.incrementAndGet();

        assertThat(pace.shedPerAdmitted()).isEqualTo(30.0);
    }

    private void record(int admitted, int shed) {
        for (int i = 0; i < admitted; i++) {
            pace.admitted();
        }
        for (int i = 0; i < shed; i++) {
            pace.shed();
        }
    }
}
