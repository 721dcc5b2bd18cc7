package org.escadrille.server.chart;

import java.util.Map;

/** The words a person reads for a status: the pages and the execution report name statuses alike. */
public final class StatusWords {
    /**
     * The words a person reads for the statuses of executions (CARMIN's names), tasks and attempts (the
     * scheduler's) and pilots. A Monte-Carlo task told to stop when the run's total was reached did its job: it
     * reads as planned, not as an interruption.
     */
    private static final Map<String, String> STATUS_WORDS = Map.ofEntries(
            Map.entry("Initializing", "Preparing"), Map.entry("Ready", "Queued"), Map.entry("Running", "Running"),
            Map.entry("Finished", "Finished"), Map.entry("InitializationFailed", "Failed to start"),
            Map.entry("ExecutionFailed", "Failed"), Map.entry("Unknown", "Unknown"), Map.entry("Killed", "Killed"),
            Map.entry("QUEUED", "Queued"), Map.entry("LEASED", "Starting"), Map.entry("RUNNING", "Running"),
            Map.entry("SUCCEEDED", "Succeeded"), Map.entry("FAILED", "Failed"), Map.entry("CANCELLED", "Cancelled"),
            Map.entry("STOPPED", "Stopped as planned"), Map.entry("LOST", "Lost"),
            // pilots (PilotRegistry)
            Map.entry("SUBMITTED", "Submitted"), Map.entry("ENDED", "Ended"),
            Map.entry("BLACKHOLE", "Set aside: it failed every task"));

    private StatusWords() {
    }

    /** A status in words ("Queued", "Stopped as planned"); a status it does not know, as it is. */
    public static String of(String name) {
        return STATUS_WORDS.getOrDefault(name, name);
    }
}
