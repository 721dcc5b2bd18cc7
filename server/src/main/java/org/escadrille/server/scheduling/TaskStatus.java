package org.escadrille.server.scheduling;

/** The life of a task (DESIGN §3). STOPPED is a Monte-Carlo task told to finish early: a success. */
public enum TaskStatus {
    QUEUED, LEASED, RUNNING, SUCCEEDED, FAILED, CANCELLED, STOPPED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == STOPPED;
    }

    public boolean isSuccess() {
        return this == SUCCEEDED || this == STOPPED;
    }
}
