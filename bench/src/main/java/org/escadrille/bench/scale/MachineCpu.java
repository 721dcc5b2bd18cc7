package org.escadrille.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The machine's CPU time at one instant: each CPU's busy and total ticks ({@code /proc/stat}), and the CPU
 * time of the database's processes (every process named {@code postgres}). Two readings around a window say
 * how busy each CPU was in it, and how much of the machine PostgreSQL took, which neither the server's nor
 * the generator's own CPU time shows.
 */
record MachineCpu(List<long[]> busyAndTotalTicks, double databaseSeconds) {

    static MachineCpu now() {
        List<long[]> cpus = List.of();
        try {
            cpus = cpuTicks(Files.readString(Path.of("/proc/stat")));
        } catch (IOException e) {
            // Not Linux: nothing to report.
        }
        return new MachineCpu(cpus, processSeconds("postgres"));
    }

    /** Busy and total ticks of each {@code cpuN} line; busy is everything but idle and iowait. */
    static List<long[]> cpuTicks(String procStat) {
        var cpus = new ArrayList<long[]>();
        for (String line : procStat.split("\n")) {
            if (!line.matches("cpu\\d+ .*")) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) { // user … steal: guest time is counted in user already
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            cpus.add(new long[] {total - idle, total});
        }
        return cpus;
    }

    /** The CPU time, in seconds, of the processes living now whose command name is {@code name}. */
    private static double processSeconds(String name) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToDouble(p -> {
                        try {
                            String stat = Files.readString(p.resolve("stat"));
                            String command = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                            return command.equals(name) ? ServerUnderTest.procCpuSeconds(stat) : 0;
                        } catch (IOException | RuntimeException e) {
                            return 0; // gone meanwhile, or not ours to read
                        }
                    }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * "cpu0 0.98, cpu1 0.71 busy; database 0.42 cores" between {@code before} and this reading, {@code seconds} apart.
     * The database's share counts the processes alive at both readings (PostgreSQL's pooled connections are).
     */
    String since(MachineCpu before, double seconds) {
        var busy = new ArrayList<String>();
        for (int i = 0; i < busyAndTotalTicks.size() && i < before.busyAndTotalTicks.size(); i++) {
            long[] a = before.busyAndTotalTicks.get(i);
            long[] b = busyAndTotalTicks.get(i);
            busy.add(String.format(Locale.ROOT, "cpu%d %.2f", i, (b[0] - a[0]) / (double) Math.max(1, b[1] - a[1])));
        }
        return busy.stream().collect(Collectors.joining(", ")) + " busy; database "
                + String.format(Locale.ROOT, "%.2f cores", Math.max(0, databaseSeconds - before.databaseSeconds) / seconds);
    }
}
