package org.escadrille.protocol;

import java.util.List;

/** The tasks leased to a pilot by one request; empty when the long poll timed out. */
public record LeaseGrant(List<TaskAssignment> tasks, boolean drain) {

    public LeaseGrant {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    public static LeaseGrant none() {
        return new LeaseGrant(List.of(), false);
    }
}
