package org.escadrille.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void medianIgnoresMissingValuesAndIsNaNForNone() {
        assertThat(Stats.median(List.of(Double.NaN, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of())).isNaN();
        assertThat(Stats.format(Double.NaN, 2)).isEqualTo("—");
    }

    @Test
    void eventCountsAreReadInEitherNotation() {
        assertThat(BenchMain.events("4e10")).isEqualTo(40_000_000_000L);
        assertThat(BenchMain.events("123")).isEqualTo(123L);
    }
}
