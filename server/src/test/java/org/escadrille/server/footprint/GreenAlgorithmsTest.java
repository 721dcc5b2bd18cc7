package org.escadrille.server.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Hand-computed cases of the Green Algorithms formula (docs/footprint.md). */
class GreenAlgorithmsTest {
    private static final long ONE_GIB_KB = 1_048_576;

    @Test
    void anHourOfOneBusyCoreWithTwoGigabytesAtTheDefaults() {
        // 3600 s × (1 core × 12 W × 1 + 2 GB × 0.3725 W/GB) × 1.56 = 3600 s × 12.745 W × 1.56 = 19.8822 Wh
        double wh = GreenAlgorithms.attemptEnergyWh(3600.0, 3600, 2 * ONE_GIB_KB, 12, 1.56);

        assertThat(wh).isCloseTo(19.8822, within(1e-9));
        // 19.8822 Wh = 0.0198822 kWh × 475 g/kWh = 9.444045 g
        assertThat(GreenAlgorithms.carbonGrams(wh, 475)).isCloseTo(9.444045, within(1e-9));
    }

    @Test
    void aTaskWithNoCpuTimeCostsOnlyItsMemory() {
        // usage 0: 100 s × (0 + 1 GB × 0.3725 W) × 1.56 / 3600 = 0.016141666… Wh
        assertThat(GreenAlgorithms.cpuUsage(0.0, 100, 1)).isZero();
        assertThat(GreenAlgorithms.attemptEnergyWh(0.0, 100, ONE_GIB_KB, 12, 1.56))
                .isCloseTo(100 * 0.3725 * 1.56 / 3600, within(1e-12));
        assertThat(GreenAlgorithms.attemptEnergyWh(0.0, 100, 0L, 12, 1.56)).isZero();
    }

    @Test
    void aKilledAttemptCountsTheTimeItRanAtTheUsageItHad() {
        // Killed after 60 s, 30 s of CPU: usage 0.5; 60 s × (12 W × 0.5 + 2 GB × 0.3725 W) × 1.56 / 3600 = 0.17537 Wh
        assertThat(GreenAlgorithms.cpuUsage(30.0, 60, 1)).isEqualTo(0.5);
        assertThat(GreenAlgorithms.attemptEnergyWh(30.0, 60, 2 * ONE_GIB_KB, 12, 1.56)).isCloseTo(0.17537, within(1e-9));
    }

    @Test
    void aLostAttemptWhoseCpuTimeIsUnknownCountsAsOneFullyBusyCore() {
        assertThat(GreenAlgorithms.cpuUsage(null, 60, 1)).isEqualTo(1);
        assertThat(GreenAlgorithms.attemptEnergyWh(null, 60, null, 12, 1.0)).isCloseTo(60 * 12 / 3600.0, within(1e-12));
    }

    @Test
    void aMultiThreadedTaskCountsTheCoresItKeptBusy() {
        // 250 s of CPU in 100 s: 3 cores at usage 250/300; 100 s × 3 × 12 W × 0.8333 × 1.56 / 3600 = 1.3 Wh
        assertThat(GreenAlgorithms.cores(250.0, 100)).isEqualTo(3);
        assertThat(GreenAlgorithms.cores(100.0, 100)).isEqualTo(1);
        assertThat(GreenAlgorithms.attemptEnergyWh(250.0, 100, 0L, 12, 1.56)).isCloseTo(1.3, within(1e-9));
    }

    @Test
    void usageIsBoundedToOne() {
        assertThat(GreenAlgorithms.cpuUsage(150.0, 100, 1)).isEqualTo(1);
        assertThat(GreenAlgorithms.cpuUsage(5.0, 0, 1)).isZero();
        assertThat(GreenAlgorithms.attemptEnergyWh(5.0, 0, ONE_GIB_KB, 12, 1.56)).isZero();
    }

    @Test
    void theSumsOfBusyCoreSecondsAndGigabyteSecondsGiveTheSumOfTheAttempts() {
        double each = GreenAlgorithms.attemptEnergyWh(3600.0, 3600, 2 * ONE_GIB_KB, 7.5, 1.2)
                + GreenAlgorithms.attemptEnergyWh(0.0, 100, ONE_GIB_KB, 7.5, 1.2)
                + GreenAlgorithms.attemptEnergyWh(250.0, 100, 0L, 7.5, 1.2);

        double summed = GreenAlgorithms.energyWh(3600 + 0 + 250, 3600 * 2 + 100 * 1 + 0, 7.5, 1.2);

        assertThat(summed).isCloseTo(each, within(1e-9));
    }

    @Test
    void everydayEquivalentsUseGreenAlgorithmsFactors() {
        var footprint = Footprint.of(100, 1750, 25, 4);

        assertThat(footprint.carKm()).isCloseTo(10, within(1e-12));
        assertThat(footprint.treeMonths()).isCloseTo(1750 / 917.0, within(1e-12));
        assertThat(footprint.wastedShare()).isEqualTo(0.25);
        assertThat(Footprint.NONE.wastedShare()).isZero();
    }
}
