package org.escadrille.server.execution;

/** The status of an execution, named as in CARMIN so that its clients understand it unchanged. */
public enum ExecutionStatus {
    Initializing, Ready, Running, Finished, InitializationFailed, ExecutionFailed, Unknown, Killed;

    public boolean isTerminal() {
        return this == Finished || this == InitializationFailed || this == ExecutionFailed || this == Killed;
    }
}
