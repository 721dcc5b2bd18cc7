package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code escadrille.housekeeping.*}: safe defaults, and settings that would remove too much refused with what to fix. */
class HousekeepingSettingsTest {

    @Test
    void byDefaultOrphansGetADayAndResultsAreKeptForEver() {
        var settings = new EscadrilleProperties.Housekeeping(null, null, null, null);

        assertThat(settings.orphanGrace()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.retains()).isFalse();
    }

    @Test
    void aGracePeriodShorterThanAnHourIsRefused() {
        assertThatThrownBy(() -> new EscadrilleProperties.Housekeeping(Duration.ofMinutes(5), null, null, null))
                .hasMessageContaining("escadrille.housekeeping.orphan-grace must be 1h or more");
    }

    @Test
    void aNoticeAsLongAsTheRetentionIsRefused() {
        assertThatThrownBy(() -> new EscadrilleProperties.Housekeeping(null, null, Duration.ofDays(7), Duration.ofDays(7)))
                .hasMessageContaining("retention-notice (PT168H) must be shorter than escadrille.housekeeping.retention");
    }
}
