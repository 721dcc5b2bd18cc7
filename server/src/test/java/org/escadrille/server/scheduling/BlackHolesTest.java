package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlackHolesTest {

    @Test
    void aStreakOfFastFailuresWhileAnotherPilotSucceedsMakesABlackHole() {
        var holes = new BlackHoles();
        holes.succeeded("good");
        for (int i = 1; i < BlackHoles.STREAK; i++) {
            assertThat(holes.failed("bad", 0.01)).isFalse();
        }
        holes.succeeded("good");

        assertThat(holes.failed("bad", 0.01)).isTrue();
        assertThat(holes.isHole("bad")).isTrue();
        assertThat(holes.isHole("good")).isFalse();
    }

    @Test
    void aStreakThatCameBeforeAnySuccessBecomesABlackHoleAtTheFirstSuccessElsewhere() {
        // The broken pilot asked first and failed a whole batch before the other finished anything.
        var holes = new BlackHoles();
        for (int i = 0; i < BlackHoles.STREAK + 3; i++) {
            assertThat(holes.failed("bad", 0.01)).isFalse();
        }

        assertThat(holes.succeeded("good")).containsExactly("bad");
        assertThat(holes.isHole("bad")).isTrue();
        assertThat(holes.succeeded("good")).isEmpty();
    }

    @Test
    void failingEverywhereOrSlowlyIsNotABlackHole() {
        var holes = new BlackHoles();
        for (int i = 0; i < 2 * BlackHoles.STREAK; i++) {
            holes.failed("a", 0.01);
            holes.failed("b", 0.01);
            holes.failed("slow", BlackHoles.FAST_SECONDS);
        }
        assertThat(holes.isHole("a")).isFalse();
        assertThat(holes.isHole("b")).isFalse();

        holes.succeeded("a");

        assertThat(holes.isHole("a")).isFalse();
        assertThat(holes.isHole("b")).isTrue();
        assertThat(holes.isHole("slow")).isFalse();
    }
}
