package org.escadrille.pilot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's processor as the system names it, reported at registration so that the server can take
 * the power per core of that model for the task's footprint (Green Algorithms). Linux only: elsewhere,
 * or when {@code /proc/cpuinfo} says nothing, it is unknown and the server uses its default power.
 */
final class CpuModel {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuModel() {
    }

    /** This host's processor, or null when unknown. */
    static String ofThisHost() {
        try {
            return Files.isReadable(CPUINFO) ? parse(Files.readAllLines(CPUINFO, StandardCharsets.UTF_8)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The first {@code model name} of a {@code /proc/cpuinfo} (x86 and most others); ARM servers print
     * no model name on older kernels, so their {@code Hardware} line (or nothing) is the answer.
     */
    static String parse(List<String> cpuinfo) {
        String hardware = null;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (value.isEmpty()) {
                continue;
            }
            if (key.equals("model name")) {
                return value.length() > 200 ? value.substring(0, 200) : value;
            }
            if (key.equals("Hardware") && hardware == null) {
                hardware = value.length() > 200 ? value.substring(0, 200) : value;
            }
        }
        return hardware;
    }
}
