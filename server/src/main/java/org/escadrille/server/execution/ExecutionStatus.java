package org.escadrille.server.execution;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** The status of an execution, named as in CARMIN so that its clients understand it unchanged. */
public enum ExecutionStatus {
    Initializing, Ready, Running, Finished, InitializationFailed, ExecutionFailed, Unknown, Killed;

    /** The statuses an execution never leaves. */
    public static Set<ExecutionStatus> terminal() {
        var terminal = EnumSet.noneOf(ExecutionStatus.class);
        Arrays.stream(values()).filter(ExecutionStatus::isTerminal).forEach(terminal::add);
        return terminal;
    }

    public boolean isTerminal() {
        return this == Finished || this == InitializationFailed || this == ExecutionFailed || this == Killed;
    }
}
