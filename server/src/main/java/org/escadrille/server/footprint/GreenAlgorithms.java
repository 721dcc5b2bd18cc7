package org.escadrille.server.footprint;

/**
 * The Green Algorithms method (Lannelongue, Grealey and Inouye, "Green Algorithms: Quantifying the
 * Carbon Footprint of Computation", Advanced Science 8, 2021, doi:10.1002/advs.202100707): energy =
 * wall time × (cores × power per core × CPU usage + memory × power per GB) × PUE; carbon = energy ×
 * carbon intensity. Each constant's source is in docs/footprint.md.
 */
public final class GreenAlgorithms {
    /** Watts per GB of memory (Green Algorithms' {@code memoryPower}). */
    public static final double MEMORY_WATTS_PER_GB = 0.3725;
    /** Grams of CO2e per km by an average passenger car in Europe (Green Algorithms' {@code passengerCar_EU_perkm}). */
    public static final double CAR_GRAMS_PER_KM = 175;
    /** Grams of CO2 a mature tree takes up in a month (Green Algorithms' {@code tree_month}: 11 kg a year). */
    public static final double TREE_MONTH_GRAMS = 917;

    private GreenAlgorithms() {
    }

    /**
     * The cores an attempt counts: its slot's one, or as many as its CPU time shows it kept busy
     * (a multi-threaded tool in one slot uses more than its slot's core).
     */
    public static int cores(Double cpuSeconds, double wallSeconds) {
        if (cpuSeconds == null || wallSeconds <= 0) {
            return 1;
        }
        return (int) Math.max(1, Math.ceil(cpuSeconds / wallSeconds - 1e-9));
    }

    /**
     * CPU usage: measured CPU time / (wall time × cores), bounded to [0, 1]; an unknown CPU time (a lost
     * attempt, whose pilot died) counts as full use, as Green Algorithms assumes when usage is not known.
     */
    public static double cpuUsage(Double cpuSeconds, double wallSeconds, int cores) {
        if (cpuSeconds == null) {
            return 1;
        }
        if (wallSeconds <= 0) {
            return 0;
        }
        return Math.min(1, Math.max(0, cpuSeconds / (wallSeconds * cores)));
    }

    /** The energy in watt-hours of running this long with these cores, usage and memory, at this PUE. */
    public static double energyWh(double wallSeconds, int cores, double wattsPerCore, double cpuUsage, double memoryGb,
                                  double pue) {
        double watts = cores * wattsPerCore * cpuUsage + memoryGb * MEMORY_WATTS_PER_GB;
        return Math.max(0, wallSeconds) * watts * pue / 3600;
    }

    /** The energy of an attempt from what it used: its CPU time (null: unknown), wall time and peak memory. */
    public static double attemptEnergyWh(Double cpuSeconds, double wallSeconds, Long peakRssKb, double wattsPerCore,
                                         double pue) {
        int cores = cores(cpuSeconds, wallSeconds);
        double memoryGb = peakRssKb == null ? 0 : peakRssKb / 1048576.0;
        return energyWh(wallSeconds, cores, wattsPerCore, cpuUsage(cpuSeconds, wallSeconds, cores), memoryGb, pue);
    }

    /**
     * The same energy from sums over attempts: with the cores of {@link #cores}, cores × usage × wall
     * time is the attempt's CPU time (its wall time when unknown), so the formula is linear in the
     * busy core-seconds and the GB-seconds of memory, and adds up over attempts.
     */
    public static double energyWh(double busyCoreSeconds, double gbSeconds, double wattsPerCore, double pue) {
        return (busyCoreSeconds * wattsPerCore + gbSeconds * MEMORY_WATTS_PER_GB) * pue / 3600;
    }

    /** Grams of CO2e of this energy at this carbon intensity (g/kWh). */
    public static double carbonGrams(double energyWh, double gramsPerKwh) {
        return energyWh / 1000 * gramsPerKwh;
    }
}
