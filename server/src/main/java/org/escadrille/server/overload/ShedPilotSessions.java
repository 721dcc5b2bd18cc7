package org.escadrille.server.overload;

/**
 * Told of each pilot call the server sheds, with the bearer token it carried, so that a pilot turned away
 * for longer than its session token lives is not locked out by the server's own overload, nor its tasks
 * taken back because the heartbeats that renew their leases were shed. Implemented where pilots' tokens are
 * known (the scheduler's pilot registry): this package knows nothing of them.
 */
public interface ShedPilotSessions {

    /**
     * A call carrying {@code bearerToken} (as sent: maybe no token the server knows) was shed. Runs on the
     * shedding path: it must cost no more than a look in memory.
     */
    void shed(String bearerToken);
}
