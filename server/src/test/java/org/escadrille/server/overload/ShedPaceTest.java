package org.escadrille.server.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShedPaceTest {
    private static final double MIN = 1;
    private static final double MAX = 5;
    private final AtomicLong now = new AtomicLong(1_000);
    private final ShedPace pace = new ShedPace(now::get, MIN, MAX);

    @Test
    void withNoCrowdTheCeilingIsRetryAfterMax() {
        record(500, 0);
        now.incrementAndGet();

        assertThat(pace.ceiling()).isEqualTo(MAX);
    }

    @Test
    void aSecondThatShedManyMoreThanItAdmittedAtMostDoublesTheCeiling() {
        record(100, 1_000);
        now.incrementAndGet();

        assertThat(pace.ceiling()).isEqualTo(2 * MAX);
    }

    @Test
    void aSecondThatShedTheTargetPerAdmittedLeavesTheCeilingWhereItIs() {
        record(100, 1_000);
        now.incrementAndGet();
        record(200, (int) (200 * ShedPace.TARGET));
        now.incrementAndGet();

        assertThat(pace.ceiling()).isCloseTo(2 * MAX, within(1e-9));
    }

    @Test
    void aFewMoreShedThanTheTargetRaiseItByTheirRatioSpreadOverTheMeanWait() {
        record(100, 1_000);
        now.incrementAndGet();
        record(100, 100);
        now.incrementAndGet();

        double meanWait = (MIN + 2 * MAX) / 2;
        assertThat(pace.ceiling()).isCloseTo(2 * MAX * Math.pow(1 / ShedPace.TARGET, 1 / meanWait), within(1e-9));
    }

    @Test
    void onceNothingIsShedTheCeilingHalvesEachSecondBackToRetryAfterMax() {
        for (int i = 0; i < 3; i++) {
            record(0, 1_000);
            now.incrementAndGet();
        }
        assertThat(pace.ceiling()).isEqualTo(8 * MAX);

        record(300, 0);
        now.incrementAndGet();
        assertThat(pace.ceiling()).isEqualTo(4 * MAX);
        record(300, 0);
        now.incrementAndGet();
        record(300, 0);
        now.incrementAndGet();
        assertThat(pace.ceiling()).isEqualTo(MAX);
    }

    @Test
    void theCeilingNeverPassesAMinuteWithTheDefaults() {
        for (int i = 0; i < 20; i++) {
            record(0, 1_000);
            now.incrementAndGet();
        }

        assertThat(pace.ceiling()).isEqualTo(ShedPace.MAX_SPREAD * MAX);
    }

    @Test
    void aQuietGapEndsTheCrowd() {
        record(10, 1_000);
        now.incrementAndGet();
        record(10, 1_000);
        now.addAndGet(5);

        assertThat(pace.ceiling()).isEqualTo(MAX);
    }

    /**
     * What the pace is for: 7,000 callers wanting a call each second from a bound that admits 700 a second
     * (10,000 pilots on a server that dispatches some 700 tasks a second). With the ceiling held at
     * {@code retry-after-max}, as before, about 3 were shed per admitted; with the pace, about the target,
     * and the bound still admits all it can each second, so the server loses no work to the longer waits.
     */
    @Test
    void aCrowdTenTimesWhatTheBoundAdmitsSettlesNearTheTargetAndKeepsTheBoundFull() {
        var paced = simulate(true);
        var fixed = simulate(false);

        assertThat(fixed.shedPerAdmitted()).as("a fixed wait").isGreaterThan(2.5);
        assertThat(paced.shedPerAdmitted()).as("the pace").isBetween(ShedPace.TARGET / 2, ShedPace.TARGET * 2);
        assertThat(paced.leastAdmittedInASecond()).as("the bound stays full").isEqualTo(700);
    }

    private record Outcome(double shedPerAdmitted, int leastAdmittedInASecond) {}

    /** 600 simulated seconds; the last 300 are counted. */
    private Outcome simulate(boolean paced) {
        int callers = 7_000;
        int admittedPerSecond = 700;
        int seconds = 600;
        var clock = new AtomicLong();
        var pace = new ShedPace(clock::get, MIN, MAX);
        var random = new Random(18);
        List<List<Integer>> returning = new ArrayList<>();
        for (int s = 0; s <= seconds + 61; s++) {
            returning.add(new ArrayList<>());
        }
        for (int caller = 0; caller < callers; caller++) {
            returning.get(random.nextInt(5)).add(caller);
        }
        long shed = 0;
        long admitted = 0;
        int least = Integer.MAX_VALUE;
        for (int s = 0; s < seconds; s++) {
            clock.set(s);
            var arriving = returning.get(s);
            int admittedNow = 0;
            for (int caller : arriving) {
                if (admittedNow < admittedPerSecond) {
                    pace.admitted();
                    admittedNow++;
                    // Served, it wants another call a second later (a pilot's next lease after a 1 s task).
                    returning.get(s + 1).add(caller);
                } else {
                    pace.shed();
                    // As OverloadFilter draws it: whole seconds from retry-after-min to the ceiling.
                    long ceiling = paced ? Math.max((long) MIN, Math.round(pace.ceiling())) : (long) MAX;
                    returning.get(s + (int) random.nextLong((long) MIN, ceiling + 1)).add(caller);
                    if (s >= seconds / 2) {
                        shed++;
                    }
                }
            }
            if (s >= seconds / 2) {
                admitted += admittedNow;
                least = Math.min(least, admittedNow);
            }
        }
        return new Outcome((double) shed / admitted, least);
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
