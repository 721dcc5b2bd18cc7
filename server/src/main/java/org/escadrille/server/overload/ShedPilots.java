package org.escadrille.server.overload;

/**
 * What the overload filter needs to know of pilots, implemented where they are known (the scheduler's pilot
 * registry): this package knows nothing of them.
 */
public interface ShedPilots {

    /**
     * A call carrying {@code bearerToken} (as sent, possibly null or not a token at all) was shed: its pilot
     * must not be locked out by the server's own overload (its session token lives on). Runs on the shedding
     * path: it must cost no more than a look in memory.
     */
    void shed(String bearerToken);

    /** How many pilots the server hears from: the crowd whose calls come back when shed. Cheap (a cached count). */
    int pilots();
}
