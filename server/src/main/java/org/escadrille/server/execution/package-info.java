/**
 * Executions: a launch is validated, expanded into tasks (sweeps, Monte-Carlo splits) and followed to
 * its end; the views the APIs and the portal show; their shares with a group or by a link. Owns the
 * {@code executions} and {@code execution_shares} tables and reads the
 * tasks, attempts and outputs that {@code scheduling} writes through its {@code TaskQueries}; uses {@code account}, {@code catalog},
 * {@code group}, {@code limits} (the limit on a user's executions not ended at once, at each launch: {@code RunningGate}),
 * {@code montecarlo}, {@code scheduling} and {@code storage}, never {@code api} or {@code portal}.
 */
package org.escadrille.server.execution;
