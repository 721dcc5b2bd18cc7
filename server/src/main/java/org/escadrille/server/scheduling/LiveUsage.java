package org.escadrille.server.scheduling;

/**
 * What a running attempt uses, as its pilot's latest heartbeat relayed it (pilots sample the process
 * tree): held in memory only, since the attempt's completion records the final figures.
 *
 * @param cpuSeconds CPU seconds used so far
 * @param rssKb      resident memory now, in KiB
 * @param peakRssKb  the largest resident memory relayed so far, in KiB
 */
public record LiveUsage(double cpuSeconds, long rssKb, long peakRssKb) {
}
