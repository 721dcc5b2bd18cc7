package org.escadrille.cli.api;

import java.util.List;

/**
 * One command line of an execution, with every attempt made to run it; {@code reusedFrom}: the task of
 * an earlier execution whose outputs it reused instead of running (a re-run of what failed, or the task
 * cache when {@code cached}), or null; {@code saved}: for such a task, the footprint of the attempt that
 * made those outputs.
 */
public record Task(String id, int index, String label, String status, String commandLine, List<Attempt> attempts,
                   String reusedFrom, boolean cached, Saved saved) {
    public Task {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public Task(String id, int index, String label, String status, String commandLine, List<Attempt> attempts) {
        this(id, index, label, status, commandLine, attempts, null);
    }

    public Task(String id, int index, String label, String status, String commandLine, List<Attempt> attempts,
                String reusedFrom) {
        this(id, index, label, status, commandLine, attempts, reusedFrom, false, null);
    }

    /** Energy (Wh) and carbon (g CO2e) that not running a task saved. */
    public record Saved(double energyWh, double carbonGrams) {
    }

    /** The newest attempt, or null before the first lease. */
    public Attempt lastAttempt() {
        return attempts.isEmpty() ? null : attempts.getLast();
    }
}
