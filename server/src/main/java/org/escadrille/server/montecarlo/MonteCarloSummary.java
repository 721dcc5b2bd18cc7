package org.escadrille.server.montecarlo;

import java.util.List;

/**
 * What the APIs show of a Monte-Carlo execution: how it was split, its total, the events simulated so
 * far, and each task's seed, share and simulated events (enough to replay it exactly).
 *
 * @param stoppedBy who stopped the run early to merge what it had (its events then fall short of the
 *                  total), or null
 */
public record MonteCarloSummary(String split, long totalEvents, long eventsDone, String replayOf, List<TaskShare> tasks,
                                String stoppedBy) {

    /** One task's part. */
    public record TaskShare(String taskId, int index, long seed, long eventsRequested, long events, String status) {
    }
}
