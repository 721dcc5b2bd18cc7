package org.escadrille.apps.dose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class DepthDoseTest {

    @Test
    void attenuationFollowsTheXcomTable() {
        assertThat(Water.mu(1.0)).isCloseTo(0.07072, offset(1e-6));
        assertThat(Water.mu(1.25)).isCloseTo(0.06323, offset(1e-6));
        assertThat(Water.mu(0.7)).isBetween(Water.mu(0.8), Water.mu(0.6));
    }

    @Test
    void uncollidedPhotonsDecayExponentially() {
        // A thin slab: the fraction that interacts at all is 1 - exp(-mu d).
        var thin = new DepthDose(1.25, 1.0, 1, 3);
        int n = 200_000;
        int interacted = 0;
        for (int i = 0; i < n; i++) {
            double before = thin.energyDeposited()[0];
            thin.transportOne();
            if (thin.energyDeposited()[0] > before) {
                interacted++;
            }
        }
        double expected = 1 - Math.exp(-Water.mu(1.25) * 1.0);
        assertThat((double) interacted / n).isCloseTo(expected, offset(0.003));
    }

    @Test
    void energyIsConservedAndTheDoseFallsWithDepth() {
        var slab = new DepthDose(1.25, 30, 30, 7);
        for (int i = 0; i < 200_000; i++) {
            slab.transportOne();
        }
        double[] edep = slab.energyDeposited();
        double total = 0;
        for (double e : edep) {
            total += e;
        }
        assertThat(total).isPositive().isLessThan(200_000 * 1.25);
        assertThat(edep[25]).isLessThan(edep[5]);
        assertThat(edep[29]).isLessThan(edep[15]);
    }

    @Test
    void theSameSeedGivesTheSameHistogram() {
        var a = new DepthDose(1.25, 10, 10, 42);
        var b = new DepthDose(1.25, 10, 10, 42);
        for (int i = 0; i < 10_000; i++) {
            a.transportOne();
            b.transportOne();
        }
        assertThat(Dose.csv(a)).isEqualTo(Dose.csv(b));
    }

    @Test
    void scatteringKeepsDirectionsUnitVectors() {
        double[] d = DepthDose.rotate(0.6, 0.0, 0.8, 0.5, Math.sqrt(0.75), 1.0);
        assertThat(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).isCloseTo(1.0, offset(1e-12));
        assertThat(0.6 * d[0] + 0.8 * d[2]).isCloseTo(0.5, offset(1e-12));
    }
}
