package org.escadrille.apps.pi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class PiTest {

    @Test
    void estimateConvergesOnPi() {
        var estimate = new Pi().simulate(4_000_000, 7, new PrintStream(new ByteArrayOutputStream()));

        assertThat(estimate.total()).isEqualTo(4_000_000);
        assertThat(estimate.value()).isCloseTo(Math.PI, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void sameSeedGivesTheSameCounts() {
        var sink = new PrintStream(new ByteArrayOutputStream());

        assertThat(new Pi().simulate(100_000, 3, sink)).isEqualTo(new Pi().simulate(100_000, 3, sink));
        assertThat(new Pi().simulate(100_000, 3, sink)).isNotEqualTo(new Pi().simulate(100_000, 4, sink));
    }

    @Test
    void aStopRequestEndsTheRunWithAPartialCount() {
        var pi = new Pi();
        pi.requestStop();

        var estimate = pi.simulate(1_000_000_000L, 1, new PrintStream(new ByteArrayOutputStream()));

        assertThat(estimate.total()).isZero();
    }

    @Test
    void eventCountsAcceptScientificNotation() {
        assertThat(Pi.Arguments.parse(new String[] {"--events", "1e8"}).events()).isEqualTo(100_000_000L);
        assertThatThrownBy(() -> Pi.Arguments.parse(new String[] {"--events", "ten"}))
                .hasMessageContaining("--events must be a whole number");
    }
}
