package org.escadrille.apps.dose;

/**
 * Photon attenuation in water: total mass attenuation coefficients (cm²/g, coherent scattering
 * included) from the NIST XCOM tables, interpolated log-log. Water's density is 1 g/cm³, so these
 * are also linear coefficients in 1/cm.
 */
final class Water {
    private static final double[] ENERGY_MEV = {0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3,
        0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0};
    private static final double[] MU_CM2_PER_G = {5.329, 1.673, 0.8096, 0.3756, 0.2683, 0.2269, 0.2059, 0.1837, 0.1707,
        0.1505, 0.1370, 0.1186, 0.1061, 0.09687, 0.08956, 0.07865, 0.07072, 0.06323, 0.05754, 0.04942, 0.03969,
        0.03403, 0.03031, 0.02770, 0.02429, 0.02219, 0.01941, 0.01813};

    private Water() {
    }

    /** The linear attenuation coefficient (1/cm) at {@code energyMev}, clamped to the table's range. */
    static double mu(double energyMev) {
        if (energyMev <= ENERGY_MEV[0]) {
            return MU_CM2_PER_G[0];
        }
        int last = ENERGY_MEV.length - 1;
        if (energyMev >= ENERGY_MEV[last]) {
            return MU_CM2_PER_G[last];
        }
        int i = 1;
        while (ENERGY_MEV[i] < energyMev) {
            i++;
        }
        double t = Math.log(energyMev / ENERGY_MEV[i - 1]) / Math.log(ENERGY_MEV[i] / ENERGY_MEV[i - 1]);
        return Math.exp(Math.log(MU_CM2_PER_G[i - 1]) + t * Math.log(MU_CM2_PER_G[i] / MU_CM2_PER_G[i - 1]));
    }
}
