package org.escadrille.pilot;

import org.escadrille.protocol.Completion.Outcome;
import org.escadrille.protocol.Order;

/**
 * What a finished command means for its attempt, before outputs are looked at.
 *
 * @param message for the user when it failed, else null
 */
record Verdict(Outcome outcome, String message) {

    /**
     * @param order            the order obeyed while it ran (CANCEL or STOP), or null
     * @param timeLimitSeconds the limit it was given, for the message
     */
    static Verdict of(CommandResult result, Order.Kind order, long timeLimitSeconds) {
        if (order == Order.Kind.CANCEL) {
            return new Verdict(Outcome.CANCELLED, "cancelled");
        }
        if (result.timedOut()) {
            return new Verdict(Outcome.FAILED, "time limit of " + timeLimitSeconds + " s exceeded");
        }
        if (result.stopped()) {
            // A tool that dies of the SIGTERM it was sent has stopped as asked.
            boolean asked = result.exitCode() == 0 || result.exitCode() == 128 + 15;
            return asked ? new Verdict(Outcome.STOPPED, null)
                    : new Verdict(Outcome.FAILED, "failed after being told to stop: " + describeExit(result));
        }
        return result.exitCode() == 0 ? new Verdict(Outcome.SUCCEEDED, null)
                : new Verdict(Outcome.FAILED, describeExit(result));
    }

    /** Whether the attempt's outputs are uploaded: only a success, full or partial, keeps them. */
    boolean keepsOutputs() {
        return outcome == Outcome.SUCCEEDED || outcome == Outcome.STOPPED;
    }

    static String describeExit(CommandResult result) {
        String signal = result.signalName();
        return signal == null ? "exit code " + result.exitCode()
                : "killed by " + signal + " (exit code " + result.exitCode() + ")";
    }
}
