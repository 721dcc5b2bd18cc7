package org.escadrille.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the results were measured on, and how busy the machine was: printed beside every table. */
final class Machine {
    private Machine() {
    }

    /** The 1-minute load average now (other builds on a 2-core machine skew a benchmark: record it). */
    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static String describe() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElse(0L);
        } catch (IOException | RuntimeException e) {
            // leave the defaults
        }
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB, Linux %s, Java %s (%s)", cpu,
                Runtime.getRuntime().availableProcessors(), memKb / 1048576.0, System.getProperty("os.version"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }
}
