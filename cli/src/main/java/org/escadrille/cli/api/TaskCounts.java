package org.escadrille.cli.api;

/** How many of an execution's tasks are in each state. */
public record TaskCounts(int total, int queued, int running, int succeeded, int failed, int cancelled) {
    public static final TaskCounts NONE = new TaskCounts(0, 0, 0, 0, 0, 0);

    /** Tasks that will not run again, whatever their outcome. */
    public int done() {
        return succeeded + failed + cancelled;
    }
}
