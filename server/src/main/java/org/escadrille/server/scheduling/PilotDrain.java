package org.escadrille.server.scheduling;

/**
 * Which pilots should finish what they run, take no new work and leave: decided by whoever starts
 * pilots (a pilot of a disabled site, a local pilot of an earlier server process), asked on every
 * lease and heartbeat, so it must answer from memory.
 */
public interface PilotDrain {

    boolean shouldDrain(String pilotId);
}
