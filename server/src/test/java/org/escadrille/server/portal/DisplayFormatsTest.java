package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.escadrille.server.execution.ExecutionStatus;
import org.junit.jupiter.api.Test;

class DisplayFormatsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final DisplayFormats formats = new DisplayFormats(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void statusesReadAsWordsNotEnumNames() {
        assertThat(formats.status(ExecutionStatus.Ready)).isEqualTo("Queued");
        assertThat(formats.status(ExecutionStatus.ExecutionFailed)).isEqualTo("Failed");
        assertThat(formats.status(ExecutionStatus.InitializationFailed)).isEqualTo("Failed to start");
        assertThat(formats.status("LEASED")).isEqualTo("Starting");
        assertThat(formats.status("SUCCEEDED")).isEqualTo("Succeeded");
        assertThat(formats.status("STOPPED")).isEqualTo("Stopped as planned");
        assertThat(formats.status("BLACKHOLE")).isEqualTo("Set aside: it failed every task");
        assertThat(formats.status("SOMETHING_NEW")).as("an unknown status is shown as it is").isEqualTo("SOMETHING_NEW");
    }

    @Test
    void aPeakMemoryOfZeroIsNotMeasuredRatherThanZeroBytes() {
        assertThat(formats.peakMemory(0L)).isEqualTo("not measured");
        assertThat(formats.peakMemory(2048L)).isEqualTo("2.0 MiB");
        assertThat(formats.peakMemory(null)).isEmpty();
    }

    @Test
    void somethingNotEndedHasLastedUntilNow() {
        assertThat(formats.duration(NOW.minusSeconds(90), null)).isEqualTo(formats.duration(NOW.minusSeconds(90), NOW));
        assertThat(formats.duration(NOW.minusSeconds(90), null)).isNotEqualTo(formats.duration(NOW.minusSeconds(30), NOW));
        assertThat(formats.duration(null, null)).isEmpty();
    }
}
