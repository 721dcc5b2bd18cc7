package org.escadrille.server.limits;

/**
 * A user's limit on executions not ended at once ({@code max}, 0: none) and where it comes from:
 * {@code user} (their own), {@code group NAME} (the most generous of their groups') or {@code default}
 * (the setting).
 */
public record RunningLimit(int max, String source) {
    public RunningLimit {
        if (max < 0) {
            throw new IllegalArgumentException("a limit is 0 (none) or more, got " + max);
        }
    }

    public boolean limited() {
        return max > 0;
    }

    /** Whether {@code running} executions leave room for one more. */
    public boolean allowsOneMore(int running) {
        return !limited() || running < max;
    }
}
