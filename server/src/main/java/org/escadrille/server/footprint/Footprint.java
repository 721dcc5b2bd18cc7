package org.escadrille.server.footprint;

/**
 * The energy and carbon of some attempts (Green Algorithms, docs/footprint.md), the part of them
 * wasted (attempts that gave no result: failed, lost, killed, or replicas that lost the race), and
 * everyday equivalents.
 *
 * @param energyWh    watt-hours, PUE included
 * @param carbonGrams grams of CO2e
 * @param wastedShare the share of the energy spent by wasted attempts, 0 to 1
 * @param carKm       kilometres by an average European car that emit as much
 * @param treeMonths  months a mature tree takes to absorb as much
 * @param attempts    how many ended attempts count
 */
public record Footprint(double energyWh, double carbonGrams, double wastedShare, double carKm, double treeMonths,
                        int attempts) {
    public static final Footprint NONE = of(0, 0, 0, 0);

    static Footprint of(double energyWh, double carbonGrams, double wastedWh, int attempts) {
        return new Footprint(energyWh, carbonGrams, energyWh > 0 ? wastedWh / energyWh : 0,
                carbonGrams / GreenAlgorithms.CAR_GRAMS_PER_KM, carbonGrams / GreenAlgorithms.TREE_MONTH_GRAMS, attempts);
    }

    /** One attempt's energy (Wh) and carbon (g CO2e), and whether it was wasted. */
    public record OfAttempt(double energyWh, double carbonGrams, boolean wasted) {
    }
}
