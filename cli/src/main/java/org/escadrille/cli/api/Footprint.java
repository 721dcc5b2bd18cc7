package org.escadrille.cli.api;

/**
 * An execution's footprint as the server computes it (Green Algorithms: docs/footprint.md): energy
 * in watt-hours, carbon in grams of CO2e, the share wasted by attempts that gave no result, and the
 * kilometres by car that emit as much.
 */
public record Footprint(double energyWh, double carbonGrams, double wastedShare, double carKm, double treeMonths) {
}
