package org.escadrille.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

/**
 * How much CPU the rest of the machine takes: the busy time of all CPUs ({@code /proc/stat}) less
 * what the benchmark's own processes used. Other engineers' builds on a 2-core machine skew a
 * benchmark; this says by how much, and lets a benchmark wait for a quiet moment.
 */
public final class CpuMeter {
    private static final double TICK = 100.0;

    /** A reading: when, the busy seconds of all CPUs, and this JVM's CPU seconds with its reaped children's. */
    record Sample(long nanos, double busyS, double selfS) {
    }

    private CpuMeter() {
    }

    static Sample sample() {
        return new Sample(System.nanoTime(), busySeconds(), selfSeconds());
    }

    /**
     * Cores used by other processes between two samples.
     *
     * @param oursS CPU seconds our processes used that {@link Sample#selfS()} does not hold (unreaped children)
     */
    static double background(Sample from, Sample to, double oursS) {
        double elapsed = Math.max(1e-9, (to.nanos() - from.nanos()) / 1e9);
        return Math.max(0, (to.busyS() - from.busyS() - (to.selfS() - from.selfS()) - oursS) / elapsed);
    }

    /**
     * Waits until the other processes take at most {@code maxCores} over a 2-second window, for at most
     * {@code maxWaitS}; returns the last measure. {@code ours} gives the running total of our
     * unreaped processes' CPU seconds.
     */
    static double awaitQuiet(double maxCores, double maxWaitS, DoubleSupplier ours) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (maxWaitS * 1e9);
        long lastSaid = 0;
        while (true) {
            Sample from = sample();
            double oursFrom = ours.getAsDouble();
            Thread.sleep(2_000);
            double background = background(from, sample(), ours.getAsDouble() - oursFrom);
            if (background <= maxCores) {
                return background;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf(Locale.ROOT, "bench: still %.2f cores busy elsewhere after %.0f s of waiting; going on%n",
                        background, maxWaitS);
                return background;
            }
            if (System.nanoTime() - lastSaid > 30e9) {
                System.out.printf(Locale.ROOT, "bench: other processes use %.2f cores (at most %.2f wanted); waiting%n",
                        background, maxCores);
                lastSaid = System.nanoTime();
            }
        }
    }

    /** CPU seconds of a process and of its reaped children, from {@code /proc/<pid>/stat}; 0 when it is gone. */
    public static double processSeconds(long pid) {
        long[] ticks = ticks(Path.of("/proc", Long.toString(pid), "stat"));
        return (ticks[0] + ticks[1]) / TICK;
    }

    /** {own, reaped children's} CPU ticks. */
    static long[] ticks(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // fields[0] is proc(5)'s field 3 (state): utime, stime, cutime, cstime are fields 14 to 17.
            return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static double selfSeconds() {
        long[] ticks = ticks(Path.of("/proc/self/stat"));
        return (ticks[0] + ticks[1]) / TICK;
    }

    private static double busySeconds() {
        try {
            return busyTicks(Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+")) / TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A CPU's ticks so far: busy (everything but idle and iowait) and in all. */
    public record CpuTicks(long busy, long total) {
    }

    /** Each CPU's ticks so far ({@code /proc/stat}'s {@code cpuN} lines); empty where it cannot be read. */
    public static List<CpuTicks> perCpu() {
        try {
            return perCpu(Files.readString(Path.of("/proc/stat")));
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<CpuTicks> perCpu(String procStat) {
        var cpus = new ArrayList<CpuTicks>();
        for (String line : procStat.split("\n")) {
            if (line.matches("cpu\\d+ .*")) {
                String[] f = line.trim().split("\\s+");
                long busy = busyTicks(f);
                cpus.add(new CpuTicks(busy, busy + Long.parseLong(f[4]) + Long.parseLong(f[5])));
            }
        }
        return cpus;
    }

    /** user, nice, system, irq, softirq and steal of a {@code /proc/stat} cpu line (guest time is in user already). */
    private static long busyTicks(String[] f) {
        // cpu user nice system idle iowait irq softirq steal ...
        return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
    }

    /** CPU seconds of the processes living now whose command name is {@code name} ({@code postgres}, say). */
    public static double processesNamedSeconds(String name) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> name.equals(commandName(p.resolve("comm"))))
                    .mapToDouble(p -> ticks(p.resolve("stat"))[0] / TICK).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String commandName(Path comm) {
        try {
            return Files.readString(comm).strip();
        } catch (IOException e) {
            return null; // gone meanwhile
        }
    }
}
