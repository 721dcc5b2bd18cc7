package org.escadrille.server.footprint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Processors as /proc/cpuinfo names them, against Green Algorithms' table. */
class ProcessorPowerTest {
    private final ProcessorPower power = new ProcessorPower(12);

    @Test
    void aKnownProcessorGetsItsWattsPerCore() {
        assertThat(power.wattsPerCore("Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz")).isEqualTo(7.5);
        assertThat(power.wattsPerCore("AMD EPYC 7552 48-Core Processor")).isEqualTo(4.2);
        assertThat(power.wattsPerCore("Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz")).isEqualTo(8.1);
    }

    @Test
    void aModelNumberMatchesOnlyWhole() {
        assertThat(power.wattsPerCore("Intel(R) Xeon(R) CPU E5-2670 v2 @ 2.50GHz")).isEqualTo(11.5);
        assertThat(power.wattsPerCore("Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz")).isEqualTo(14.4);
        assertThat(power.wattsPerCore("AMD Ryzen 5 3600X 6-Core Processor")).isEqualTo(12);
    }

    @Test
    void anUnknownOrUnnamedProcessorGetsTheDefault() {
        assertThat(power.wattsPerCore("Apple M2")).isEqualTo(12);
        assertThat(power.wattsPerCore(null)).isEqualTo(12);
        assertThat(power.wattsPerCore(" ")).isEqualTo(12);
    }
}
