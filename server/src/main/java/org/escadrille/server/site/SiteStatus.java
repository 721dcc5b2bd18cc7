package org.escadrille.server.site;

/**
 * A site with its pilots as they are now.
 *
 * @param queuedPilots  pilots submitted that have not registered yet (waiting in the engine)
 * @param runningPilots pilots registered and not ended
 * @param slots         task slots of all those pilots
 */
public record SiteStatus(Site site, int queuedPilots, int runningPilots, int slots) {
}
