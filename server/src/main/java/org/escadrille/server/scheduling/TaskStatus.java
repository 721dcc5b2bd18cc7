package org.escadrille.server.scheduling;

import java.util.EnumSet;
import java.util.Set;

/** The life of a task (DESIGN §3). STOPPED is a Monte-Carlo task told to finish early: a success. */
public enum TaskStatus {
    QUEUED, LEASED, RUNNING, SUCCEEDED, FAILED, CANCELLED, STOPPED;

    /** The statuses of a task that has not ended: waiting, handed to a pilot, or running there. */
    public static Set<TaskStatus> live() {
        return EnumSet.of(QUEUED, LEASED, RUNNING);
    }

    /** The statuses of a task that ended well (its outputs count). */
    public static Set<TaskStatus> successes() {
        return EnumSet.of(SUCCEEDED, STOPPED);
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == STOPPED;
    }

    public boolean isSuccess() {
        return this == SUCCEEDED || this == STOPPED;
    }
}
