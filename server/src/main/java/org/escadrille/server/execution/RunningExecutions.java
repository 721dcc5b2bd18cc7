package org.escadrille.server.execution;

import org.escadrille.server.limits.RunningLimit;

/**
 * A user's executions against their limit: those not ended ({@code running}, the ones the limit counts),
 * the launches that wait for one of them to end, and the limit with where it comes from.
 */
public record RunningExecutions(int running, int waiting, RunningLimit limit) {
}
