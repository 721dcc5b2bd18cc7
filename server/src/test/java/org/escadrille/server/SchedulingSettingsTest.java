package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code escadrille.scheduling.heartbeat-*}: the pace's defaults, and bounds that make no sense refused with what to fix. */
class SchedulingSettingsTest {

    @Test
    void byDefaultHeartbeatsArePacedAt250ASecondUpToFourIntervals() {
        var settings = scheduling(null, null);

        assertThat(settings.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.heartbeatBudget()).isEqualTo(250);
        assertThat(settings.heartbeatMax()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aBudgetOfZeroIsAFixedIntervalAndANegativeOneIsRefused() {
        assertThat(scheduling(0, null).heartbeatBudget()).isZero();
        assertThatThrownBy(() -> scheduling(-5, null))
                .hasMessageContaining("escadrille.scheduling.heartbeat-budget must be 0 (a fixed interval) or a number of"
                        + " heartbeats a second, got -5");
    }

    @Test
    void aLongestIntervalBelowTheIntervalIsRefused() {
        assertThatThrownBy(() -> scheduling(null, Duration.ofSeconds(10)))
                .hasMessageContaining("escadrille.scheduling.heartbeat-max (PT10S) must not be shorter than"
                        + " escadrille.scheduling.heartbeat (PT15S)");
    }

    private static EscadrilleProperties.Scheduling scheduling(Integer budget, Duration max) {
        return new EscadrilleProperties.Scheduling(null, null, 0, 0, null, 0, null, null, budget, max);
    }
}
