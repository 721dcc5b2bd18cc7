package org.escadrille.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class McResultTest {
    @Test
    void theFailureCostAddsTheLostEventsAtTheCombinedRateToTheIdeal() {
        // Two lanes of 60 and 40 events/s: 1000 lost events cost 10 s on top of the 100 s ideal.
        var result = new McResult("B", "dynamic", 1, "x", "Finished", 0, 0, 0, 121, 100, 100, 0.5, 0.2, 1, 30, 10_000,
                10_500, 1000, List.of(60.0, 40.0), new Timeline("t", List.of(), List.of(), List.of(), 121),
                McResult.Footprint.UNKNOWN);

        assertThat(result.ratio()).isCloseTo(1.21, within(1e-9));
        assertThat(result.ratioFailureCost()).isCloseTo(1.1, within(1e-9));
        assertThat(result.overshoot()).as("10,500 events simulated for 10,000 asked").isCloseTo(1.05, within(1e-9));
    }
}
