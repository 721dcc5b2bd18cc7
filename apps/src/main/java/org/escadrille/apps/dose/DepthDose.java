package org.escadrille.apps.dose;

import java.util.SplittableRandom;

/**
 * A GATE-like photon transport in a water slab, simplified: a pencil beam of mono-energetic photons
 * enters at z = 0 along +z; free paths follow the total attenuation of water; every interaction is
 * a Compton scattering sampled from Klein-Nishina (the electron's energy is deposited on the spot:
 * no electron transport, the kerma approximation); below 30 keV the photon is absorbed
 * (photoelectric effect); photons leaving the slab are lost. The deposited energy is tallied in
 * depth bins.
 */
final class DepthDose {
    private static final double ELECTRON_MASS_MEV = 0.51099895;
    private static final double ABSORPTION_MEV = 0.03;

    private final double energyMev;
    private final double depthCm;
    private final double[] edepMev;
    private final SplittableRandom random;
    private long photons;

    DepthDose(double energyMev, double depthCm, int bins, long seed) {
        this.energyMev = energyMev;
        this.depthCm = depthCm;
        this.edepMev = new double[bins];
        this.random = new SplittableRandom(seed);
    }

    long photons() {
        return photons;
    }

    double[] energyDeposited() {
        return edepMev.clone();
    }

    double binWidthCm() {
        return depthCm / edepMev.length;
    }

    /** Transports one photon from entry to absorption or escape. */
    void transportOne() {
        double x = 0;
        double y = 0;
        double z = 0;
        double u = 0;
        double v = 0;
        double w = 1;
        double energy = energyMev;
        photons++;
        while (true) {
            double step = -Math.log(1.0 - random.nextDouble()) / Water.mu(energy);
            x += u * step;
            y += v * step;
            z += w * step;
            if (z < 0 || z >= depthCm) {
                return;
            }
            if (energy < ABSORPTION_MEV) {
                deposit(z, energy);
                return;
            }
            double k = energy / ELECTRON_MASS_MEV;
            double[] scatter = kleinNishina(k);
            double epsilon = scatter[0];
            double cosTheta = scatter[1];
            deposit(z, energy * (1 - epsilon));
            energy *= epsilon;
            double phi = 2 * Math.PI * random.nextDouble();
            double sinTheta = Math.sqrt(Math.max(0, 1 - cosTheta * cosTheta));
            double[] direction = rotate(u, v, w, cosTheta, sinTheta, phi);
            u = direction[0];
            v = direction[1];
            w = direction[2];
        }
    }

    private void deposit(double z, double energy) {
        int bin = (int) (z / depthCm * edepMev.length);
        edepMev[Math.min(bin, edepMev.length - 1)] += energy;
    }

    /**
     * Samples the scattered photon's energy fraction and the cosine of its angle from the Klein-Nishina
     * cross section (Butcher and Messel's method, as in Geant4's G4KleinNishinaCompton).
     */
    private double[] kleinNishina(double k) {
        double eps0 = 1 / (1 + 2 * k);
        double eps0sq = eps0 * eps0;
        double alpha1 = -Math.log(eps0);
        double alpha2 = alpha1 + 0.5 * (1 - eps0sq);
        double epsilon;
        double oneMinusCos;
        double reject;
        do {
            double epsilonSq;
            if (alpha1 > alpha2 * random.nextDouble()) {
                epsilon = Math.exp(-alpha1 * random.nextDouble());
                epsilonSq = epsilon * epsilon;
            } else {
                epsilonSq = eps0sq + (1 - eps0sq) * random.nextDouble();
                epsilon = Math.sqrt(epsilonSq);
            }
            oneMinusCos = (1 - epsilon) / (epsilon * k);
            double sin2 = oneMinusCos * (2 - oneMinusCos);
            reject = 1 - epsilon * sin2 / (1 + epsilonSq);
        } while (reject < random.nextDouble());
        return new double[] {epsilon, 1 - oneMinusCos};
    }

    /** The direction after scattering by polar angle θ and azimuth φ from (u, v, w). */
    static double[] rotate(double u, double v, double w, double cosTheta, double sinTheta, double phi) {
        double cosPhi = Math.cos(phi);
        double sinPhi = Math.sin(phi);
        if (Math.abs(w) > 0.99999) {
            double sign = Math.signum(w);
            return new double[] {sinTheta * cosPhi, sinTheta * sinPhi, sign * cosTheta};
        }
        double root = Math.sqrt(1 - w * w);
        return new double[] {
            u * cosTheta + sinTheta * (u * w * cosPhi - v * sinPhi) / root,
            v * cosTheta + sinTheta * (v * w * cosPhi + u * sinPhi) / root,
            w * cosTheta - sinTheta * cosPhi * root
        };
    }
}
