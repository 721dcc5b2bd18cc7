package org.escadrille.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void percentilesAreNearestRanksInMilliseconds() {
        var latencies = new Latencies();
        for (int ms = 100; ms >= 1; ms--) {
            latencies.record(ms * 1000L, true);
        }

        assertThat(latencies.percentileMs(50)).isEqualTo(50.0);
        assertThat(latencies.percentileMs(95)).isEqualTo(95.0);
        assertThat(latencies.percentileMs(99)).isEqualTo(99.0);
        assertThat(latencies.percentileMs(100)).isEqualTo(100.0);
    }

    @Test
    void mergedLatenciesKeepEveryValueAndError() {
        var first = new Latencies();
        first.record(1_000, true);
        var second = new Latencies();
        second.record(3_000, false);
        second.record(2_000, true);

        first.addAll(second);

        assertThat(first.count()).isEqualTo(3);
        assertThat(first.errors()).isEqualTo(1);
        assertThat(first.percentileMs(50)).isEqualTo(2.0);
    }

    @Test
    void noValuesHaveNoPercentile() {
        assertThat(new Latencies().percentileMs(99)).isNaN();
    }
}
