/**
 * The scheduler: the in-memory fair-share queue and leases (written through to the database), the
 * pilot protocol endpoints ({@code /api/pilot/v1}), the pilot registry and tokens, the bundled pilot
 * jar ({@code GET /pilot.jar}), logs. Pilots are started by the {@code site} package, which it does
 * not know: it asks whether a pilot drains through {@code PilotDrain}.
 * Owns the {@code tasks}, {@code attempts}, {@code task_outputs}, {@code pilots} and
 * {@code pilot_tokens} tables; uses {@code account} and {@code storage}, never
 * {@code execution} or {@code catalog} (task starts and ends go up through
 * {@code TaskLifecycleListener}).
 */
package org.escadrille.server.scheduling;
