package org.escadrille.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScaleBenchTest {

    @Test
    void p99IsTheFirstBucketHoldingNinetyNinePercentOfTheLeasesBetweenTwoScrapes() {
        var before = new TreeMap<>(Map.of(0.01, 100.0, 0.1, 100.0, Double.POSITIVE_INFINITY, 100.0));
        var after = new TreeMap<>(Map.of(0.01, 150.0, 0.1, 299.0, Double.POSITIVE_INFINITY, 300.0));

        assertThat(ScaleBench.p99(before, after)).isEqualTo("≤ 100 ms");
    }

    @Test
    void p99SaysSoWhenNoLeaseWasAnswered() {
        var same = new TreeMap<>(Map.of(0.1, 5.0, Double.POSITIVE_INFINITY, 5.0));

        assertThat(ScaleBench.p99(same, same)).isEqualTo("no leases");
    }
}
