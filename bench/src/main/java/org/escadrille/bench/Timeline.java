package org.escadrille.bench;

import java.util.List;

/**
 * What happened on each pilot during one execution, in seconds from its launch: the data of a
 * timeline figure (one lane per pilot, one bar per attempt).
 *
 * @param endS    where the axis ends (the execution's end)
 * @param markers vertical lines: the kill of a pilot, the end of the execution
 */
record Timeline(String title, List<Lane> lanes, List<Bar> bars, List<Marker> markers, double endS) {

    /** A pilot's lane: the cgroup it ran in (a replacement pilot takes the same lane). */
    record Lane(String label) {
    }

    /**
     * One attempt of a task on a lane.
     *
     * @param startS when its command started (leased, when it never started)
     * @param endS   when it ended (the axis's end, when it has not)
     * @param events the events it simulated, when it reported them
     */
    record Bar(int lane, String pilotId, String taskId, int taskIndex, String status, double leasedS, double startS,
               double endS, Long events) {
    }

    /** A vertical line across all lanes. */
    record Marker(double atS, String label, String colour) {
    }
}
