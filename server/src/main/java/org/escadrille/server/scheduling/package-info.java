/**
 * The scheduler: the in-memory fair-share queue and leases (written through to the database), the
 * pilot protocol endpoints ({@code /api/pilot/v1}), the pilot registry, tokens and factory, logs.
 * Owns the {@code tasks}, {@code attempts}, {@code task_outputs}, {@code pilots} and
 * {@code pilot_tokens} tables; uses {@code account}, {@code backend} and {@code storage}, never
 * {@code execution} or {@code catalog} (task starts and ends go up through
 * {@code TaskLifecycleListener}).
 */
package org.escadrille.server.scheduling;
