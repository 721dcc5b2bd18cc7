package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Samples a process tree from {@code /proc}: the summed resident memory of its live processes
 * (keeping the maximum, and each process's own high-water mark {@code VmHWM}) and their CPU time;
 * it also remembers every process seen, so that none escapes a kill by being re-parented. Used by
 * one thread.
 */
final class ProcessTreeSampler {
    private final ProcessHandle root;
    private final Map<Long, Tracked> tracked = new HashMap<>();
    private long peakRssKb;
    private long rssKb;
    private long finishedCpuNanos;

    ProcessTreeSampler(ProcessHandle root) {
        this.root = root;
    }

    void sample() {
        long rssKb = 0;
        var tree = new LinkedHashMap<Long, ProcessHandle>();
        if (root.isAlive()) {
            // Listing descendants reads every process's /proc/N/stat: milliseconds of kernel time on a
            // busy node, which tiny tasks would pay each. Once the root has exited its children are
            // re-parented and no longer its descendants, so the listing would find nothing anyway.
            Stream.concat(Stream.of(root), root.descendants()).forEach(handle -> tree.put(handle.pid(), handle));
        }
        // Processes seen before and re-parented since still count.
        tracked.values().forEach(seen -> tree.putIfAbsent(seen.handle.pid(), seen.handle));
        for (ProcessHandle handle : tree.values()) {
            if (!isRunning(handle)) {
                continue;
            }
            Tracked seen = tracked.computeIfAbsent(handle.pid(), pid -> new Tracked(handle));
            seen.cpuNanos = handle.info().totalCpuDuration().map(Duration::toNanos).orElse(seen.cpuNanos);
            long[] memory = readMemoryKb(handle.pid());
            rssKb += memory[0];
            peakRssKb = Math.max(peakRssKb, memory[1]);
        }
        peakRssKb = Math.max(peakRssKb, rssKb);
        this.rssKb = rssKb;
        forgetExited();
    }

    /** The resident memory of the tree at the latest sample, in KiB. */
    long rssKb() {
        return rssKb;
    }

    /** The largest resident memory seen, in KiB. */
    long peakRssKb() {
        return peakRssKb;
    }

    /** CPU seconds of the processes seen, as of their last sample: a lower bound. */
    double cpuSeconds() {
        long nanos = finishedCpuNanos;
        for (Tracked seen : tracked.values()) {
            nanos += seen.cpuNanos;
        }
        return nanos / 1e9;
    }

    /** Processes seen in the tree that still run, wherever they were re-parented (the root excluded). */
    List<ProcessHandle> liveProcesses() {
        forgetExited();
        var live = new ArrayList<ProcessHandle>();
        for (Tracked seen : tracked.values()) {
            if (seen.handle.pid() != root.pid() && isRunning(seen.handle)) {
                live.add(seen.handle);
            }
        }
        return live;
    }

    private void forgetExited() {
        var iterator = tracked.values().iterator();
        while (iterator.hasNext()) {
            Tracked seen = iterator.next();
            if (!isRunning(seen.handle)) {
                finishedCpuNanos += seen.cpuNanos;
                iterator.remove();
            }
        }
    }

    /**
     * Alive and not a zombie: an orphan's exit is final even while the reaper (init, or whatever
     * runs as PID 1 in a container) has not collected it yet.
     */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            // Gone between the two looks, or not Linux: trust the handle.
            return handle.isAlive();
        }
    }

    /** {VmRSS, VmHWM} of one process in KiB, zeros when it is gone or the kernel does not say. */
    private static long[] readMemoryKb(long pid) {
        long[] memory = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    memory[0] = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    memory[1] = kilobytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process exited between listing and reading, or this is not Linux.
        }
        return memory;
    }

    private static long kilobytes(String statusLine) {
        String[] fields = statusLine.trim().split("\\s+");
        return fields.length >= 2 ? Long.parseLong(fields[1]) : 0;
    }

    private static final class Tracked {
        final ProcessHandle handle;
        long cpuNanos;

        Tracked(ProcessHandle handle) {
            this.handle = handle;
        }
    }
}
