package org.escadrille.protocol;

/**
 * What an attempt consumed: CPU seconds of the whole process tree (user + system), wall seconds
 * of the command, cores it could use, peak resident memory, and bytes moved in and out.
 */
public record ResourceUsage(
        double cpuSeconds,
        double wallSeconds,
        int cores,
        long peakRssKb,
        long bytesIn,
        long bytesOut) {

    public static final ResourceUsage NONE = new ResourceUsage(0, 0, 1, 0, 0, 0);

    public ResourceUsage {
        if (cpuSeconds < 0 || wallSeconds < 0 || peakRssKb < 0 || bytesIn < 0 || bytesOut < 0) {
            throw new IllegalArgumentException("resource usage must not be negative");
        }
        if (cores < 1) {
            cores = 1;
        }
    }
}
