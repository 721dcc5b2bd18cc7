package org.escadrille.server.execution;

import java.util.Set;

/** Which executions a list shows: those in one of {@code statuses} (empty: any) of the application named {@code app} (null: any). */
public record ExecutionFilter(Set<ExecutionStatus> statuses, String app) {
    public static final ExecutionFilter ALL = new ExecutionFilter(Set.of(), null);

    public ExecutionFilter {
        statuses = Set.copyOf(statuses);
        app = app == null || app.isBlank() ? null : app;
    }
}
