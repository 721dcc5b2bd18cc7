/**
 * Overload is shed, never fatal: a bound on the requests in progress per kind of call (pilot
 * registrations, heartbeats, lease long polls, completions and transfers, the user API and portal),
 * a short wait for room, then 503 with Retry-After. Owns no table; uses only the settings.
 */
package org.escadrille.server.overload;
