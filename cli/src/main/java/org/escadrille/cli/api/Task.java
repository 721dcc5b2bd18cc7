package org.escadrille.cli.api;

import java.util.List;

/** One command line of an execution, with every attempt made to run it. */
public record Task(String id, int index, String label, String status, String commandLine, List<Attempt> attempts) {
    public Task {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** The newest attempt, or null before the first lease. */
    public Attempt lastAttempt() {
        return attempts.isEmpty() ? null : attempts.getLast();
    }
}
