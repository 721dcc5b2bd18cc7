package org.escadrille.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A control group with a CPU quota, that a pilot is started in (its tasks inherit it): how the
 * benchmark makes pilots of different speeds on one machine. cgroup v1 ({@code cpu.cfs_quota_us}
 * under {@code /sys/fs/cgroup/cpu}) or v2 ({@code cpu.max} under {@code /sys/fs/cgroup}).
 */
final class CpuCgroup implements AutoCloseable {
    static final long PERIOD_US = 100_000;
    private static final Path V1_ROOT = Path.of("/sys/fs/cgroup/cpu");
    private static final Path V2_ROOT = Path.of("/sys/fs/cgroup");

    /** Which cgroup interface limits the CPU on this machine. */
    enum Version {
        V1, V2;

        String describe() {
            return this == V1 ? "cgroup v1 (cpu.cfs_period_us / cpu.cfs_quota_us under /sys/fs/cgroup/cpu)"
                    : "cgroup v2 (cpu.max under /sys/fs/cgroup)";
        }
    }

    private static final Path V1_ACCOUNTING = Path.of("/sys/fs/cgroup/cpuacct");

    private final Path dir;
    private final Version version;
    private final double cores;
    /** v1 only: the group of the same name in the cpuacct hierarchy, which counts the CPU time used (or null). */
    private final Path accounting;

    private CpuCgroup(Path dir, Version version, double cores, Path accounting) {
        this.dir = dir;
        this.version = version;
        this.cores = cores;
        this.accounting = accounting;
    }

    /** The interface this machine offers; fails saying what is missing when neither is writable. */
    static Version detect() {
        if (Files.exists(V1_ROOT.resolve("cpu.cfs_quota_us")) && Files.isWritable(V1_ROOT)) {
            return Version.V1;
        }
        try {
            Path controllers = V2_ROOT.resolve("cgroup.controllers");
            if (Files.exists(controllers) && Files.readString(controllers).contains("cpu") && Files.isWritable(V2_ROOT)) {
                return Version.V2;
            }
        } catch (IOException e) {
            // falls through to the message below
        }
        throw new IllegalStateException("no writable CPU cgroup controller: neither /sys/fs/cgroup/cpu/cpu.cfs_quota_us (v1) "
                + "nor a v2 hierarchy with the cpu controller at /sys/fs/cgroup; run as root on a machine that has one");
    }

    /** Creates (or reuses) the group {@code name} limited to {@code cores} CPUs. */
    static CpuCgroup create(String name, double cores) throws IOException {
        Version version = detect();
        long quota = Math.round(cores * PERIOD_US);
        if (version == Version.V1) {
            Path dir = V1_ROOT.resolve(name);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            Path accounting = null;
            if (Files.exists(V1_ACCOUNTING.resolve("cpuacct.usage")) && !Files.exists(dir.resolve("cpuacct.usage"))) {
                accounting = V1_ACCOUNTING.resolve(name);
                Files.createDirectories(accounting);
            }
            return new CpuCgroup(dir, version, cores, accounting);
        }
        Path control = V2_ROOT.resolve("cgroup.subtree_control");
        if (!Files.readString(control).contains("cpu")) {
            Files.writeString(control, "+cpu");
        }
        Path dir = V2_ROOT.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cpu.max"), quota + " " + PERIOD_US);
        return new CpuCgroup(dir, version, cores, null);
    }

    /** The file a process writes its pid into to join the group. */
    Path procsFile() {
        return dir.resolve("cgroup.procs");
    }

    /** Every file a process writes its pid into to join the group (and its accounting twin, on v1). */
    List<Path> joinFiles() {
        return accounting == null ? List.of(procsFile()) : List.of(procsFile(), accounting.resolve("cgroup.procs"));
    }

    /** CPU seconds used by the group's processes so far (0 when this machine does not count them). */
    double usageSeconds() {
        try {
            if (version == Version.V2) {
                return Files.readAllLines(dir.resolve("cpu.stat")).stream().filter(l -> l.startsWith("usage_usec"))
                        .mapToLong(l -> Long.parseLong(l.split("\\s+")[1])).sum() / 1e6;
            }
            Path usage = accounting != null ? accounting.resolve("cpuacct.usage") : dir.resolve("cpuacct.usage");
            return Files.exists(usage) ? Long.parseLong(Files.readString(usage).strip()) / 1e9 : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    double cores() {
        return cores;
    }

    Version version() {
        return version;
    }

    String describe() {
        return dir + " (" + String.format(Locale.ROOT, "%.2f", cores) + " core)";
    }

    List<Long> pids() throws IOException {
        return Files.readAllLines(procsFile()).stream().map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }

    /**
     * SIGKILLs every process in the group, as if its node died: the pilot and the tasks it runs. Waits
     * until the group is empty (a process forked meanwhile is killed too).
     */
    void killAll() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        List<Long> left = pids();
        while (!left.isEmpty()) {
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("processes " + left + " in " + dir + " survive SIGKILL");
            }
            Thread.sleep(20);
            left = pids();
        }
    }

    /** Kills what is left in the group and removes it. */
    @Override
    public void close() throws IOException, InterruptedException {
        killAll();
        Files.deleteIfExists(dir);
        if (accounting != null) {
            Files.deleteIfExists(accounting);
        }
    }
}
