package org.escadrille.bench;

import java.util.List;

/**
 * The measurements of one Monte-Carlo execution (seconds; NaN where not applicable).
 *
 * @param makespanS          launch (createdAt) to Finished (endedAt), from the API
 * @param idealS             total events ÷ Σ measured lane rates + merge time
 * @param idealDowntimeS     the same, with the killed lane idle from the kill to its replacement's registration
 * @param mergeS             last task end to the execution's end
 * @param spreadS            spread of the end times of the tasks that ended well
 * @param downtimeS          kill to the replacement pilot's registration
 * @param lostEvents         events of lost attempts, estimated from their lane's rate and their run time
 * @param backgroundBefore   cores used by other processes just before the launch (2-second window)
 * @param backgroundDuring   cores used by other processes during the execution
 * @param laneRates          events per second of each lane (cgroup), measured in this execution when it could be
 * @param footprint          the execution's energy, carbon and wasted share as the server computed them
 *                           (docs/footprint.md); NaN in results written before it was recorded
 */
record McResult(String scenario, String mode, int run, String executionId, String status, double load1,
                double backgroundBefore, double backgroundDuring,
                double makespanS, double idealS, double idealDowntimeS, double mergeS, double spreadS,
                double downtimeS, double killAtS, long totalEvents, long eventsDone, double lostEvents,
                List<Double> laneRates, Timeline timeline, Footprint footprint) {

    /** Watt-hours and grams of CO2e of every attempt, and the share of the energy that attempts which gave no result took. */
    record Footprint(double energyWh, double carbonGrams, double wastedShare) {
        static final Footprint UNKNOWN = new Footprint(Double.NaN, Double.NaN, Double.NaN);
    }

    double ratio() {
        return makespanS / idealS;
    }

    double ratioDowntime() {
        return makespanS / idealDowntimeS;
    }

    /**
     * The makespan over the best a scheduler without checkpoints can do after the failure: the killed
     * lane idle until its replacement registered, and the events of the killed attempt done again.
     */
    double ratioFailureCost() {
        double sumRate = laneRates.stream().mapToDouble(Double::doubleValue).sum();
        return makespanS / (idealDowntimeS + lostEvents / sumRate);
    }

    /**
     * Events simulated ÷ events asked (1.02: 2% more than asked, simulated for nothing); NaN when the
     * run reported none.
     */
    double overshoot() {
        return totalEvents <= 0 || eventsDone <= 0 ? Double.NaN : (double) eventsDone / totalEvents;
    }

    String key() {
        return scenario + "-" + mode;
    }
}
