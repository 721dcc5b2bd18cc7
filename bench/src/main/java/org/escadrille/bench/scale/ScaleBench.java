package org.escadrille.bench.scale;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * {@code bench/run scale}: for each pilot count, a fresh server process and that many simulated pilots
 * (virtual threads, loopback HTTP/1.1) working through a sweep of no-op tasks for a bounded time; reports
 * lease latency (the server's histogram and the pilots' view), the server's heap, throughput and errors.
 */
public final class ScaleBench {
    private ScaleBench() {
    }

    /**
     * @param windowOpenedAfterS seconds after the ramp when the window opened: every pilot registered (and the tasks asked
     *                           for done), or the settle ran out
     * @param doneBeforeWindow   tasks done when the window opened
     */
    record Step(int pilots, int registered, double windowOpenedAfterS, long doneBeforeWindow, double completedPerS, String serverP99, long clientP50Ms, long clientP99Ms,
                long peakHeapMiB, long heapAfterGcMiB, long emptyLeases, long toldToComeBack, long openFiles, String shed,
                double memoryShedWindowS, double memoryShedRunS, double lostWindow, double lostRun, double serverCores, double generatorCores, String errors,
                boolean serverAlive, String loadAverage) {
        /** Heap after GC per registered pilot, in KiB, the server's own baseline included. */
        double kibPerPilot() {
            return heapAfterGcMiB * 1024.0 / Math.max(1, registered);
        }

        /** Tasks completed per second of the server's CPU in the window: its rate with the generator's share taken out. */
        double tasksPerServerCpuSecond() {
            return serverCores <= 0 ? -1 : completedPerS / serverCores;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<Integer> counts = Arrays.stream(options.getOrDefault("pilots", "1000,5000,10000").split(",")).map(Integer::parseInt).toList();
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int rampSeconds = Integer.parseInt(options.getOrDefault("ramp-seconds", "20"));
        int tasks = Integer.parseInt(options.getOrDefault("tasks", "50000"));
        long taskMs = Long.parseLong(options.getOrDefault("task-ms", "1000"));
        String maxConnections = options.getOrDefault("max-connections", "20000");
        int settleSeconds = Integer.parseInt(options.getOrDefault("settle-seconds", "300"));
        // The window opens once this many tasks are done too, so that two pool sizes are measured at the same point
        // of the sweep: 10,000 pilots take minutes to register, and a window that opens earlier measures a server
        // that has done less (bench/README.md: 2,000 pilots got 518-555 tasks/s early, 627-690 after 100,000).
        long windowAfterTasks = Long.parseLong(options.getOrDefault("window-after-tasks", "0"));
        // Room under the open-file limit for the generator's own files (jcmd, the admin key, its jars).
        int maxInFlight = Integer.parseInt(options.getOrDefault("max-in-flight", "15000"));
        String database = options.getOrDefault("database", "h2");
        // The server's -Xmx: 1g, the heap the targets are set for; more, to see what a heap costs a crowd.
        String serverHeap = options.getOrDefault("server-heap", "1g");
        if (!serverHeap.matches("[1-9][0-9]*[mg]")) {
            throw new IllegalArgumentException("--server-heap is a size as -Xmx takes it in m or g (1g, 1536m), got " + serverHeap);
        }
        // Two disjoint sets of CPUs keep the generator off the server's: without them both share the machine's,
        // and 10,000 simulated pilots take more of it than 2,000 do.
        String serverCpus = options.get("server-cpus");
        String generatorCpus = options.get("generator-cpus");
        String jfr = options.getOrDefault("jfr", "false");
        if (!jfr.equals("true") && !jfr.equals("false")) {
            throw new IllegalArgumentException("--jfr is true or false, got " + jfr);
        }
        boolean recordWindow = jfr.equals("true");
        if (generatorCpus != null) {
            pinThisProcess(generatorCpus);
        }
        if (!database.equals("h2") && !database.equals("postgresql")) {
            throw new IllegalArgumentException("--database is h2 or postgresql, got " + database);
        }
        Path out = Path.of(System.getProperty("bench.dir", "bench")).toAbsolutePath().resolve("results").resolve("scale");
        String javaHome = System.getProperty("java.home");
        String classpath = System.getProperty("java.class.path");

        var steps = new ArrayList<Step>();
        for (int pilots : counts) {
            Path dataDir = out.resolve("run-" + pilots);
            deleteTree(dataDir);
            Files.createDirectories(dataDir);
            var settings = new ArrayList<String>();
            if (!maxConnections.equals("default")) {
                settings.add("--server.tomcat.max-connections=" + maxConnections);
            }
            for (String property : options.getOrDefault("server-properties", "").trim().split("\\s+")) {
                if (!property.isEmpty()) {
                    settings.add("--" + property);
                }
            }
            System.out.printf("scale: %,d pilots, %d s after a %d s ramp, database %s (server: %s)%n", pilots, seconds, rampSeconds,
                    database, settings);
            // PostgreSQL: the server CI starts, through the role it makes (ESCADRILLE_TEST_PG_*), in a database of this step's.
            BenchDatabase db = database.equals("h2") ? BenchDatabase.h2(dataDir) : BenchDatabase.postgres(
                    env("ESCADRILLE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                    env("ESCADRILLE_TEST_PG_USER", "escadrille"), env("ESCADRILLE_TEST_PG_PASSWORD", "escadrille"),
                    "escadrille_scale_" + pilots);
            Step step = runStep(pilots, dataDir, db, serverCpus, serverHeap, recordWindow, javaHome, classpath, settings, seconds, rampSeconds, settleSeconds,
                    windowAfterTasks, maxInFlight, tasks, taskMs);
            System.out.println("scale: " + step);
            steps.add(step);
        }
        String table = table(steps, seconds, taskMs, tasks, maxConnections, database, serverHeap, serverCpus, generatorCpus);
        Files.writeString(out.resolve("summary.md"), table);
        System.out.print(table);
        System.exit(0);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Every thread of this JVM, those to come included (they inherit it), on these CPUs ({@code taskset -c}'s list). */
    private static void pinThisProcess(String cpuList) throws IOException, InterruptedException {
        var taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpuList, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String said = new String(taskset.getInputStream().readAllBytes()).trim();
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("taskset could not pin the generator to CPUs " + cpuList + ": " + said);
        }
        System.out.printf("scale: the generator runs on CPUs %s%n", cpuList);
    }

    /** The CPU time this JVM (the generator) has used so far, in seconds. */
    private static double generatorCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static Step runStep(int count, Path dataDir, BenchDatabase database, String serverCpus, String serverHeap, boolean recordWindow, String javaHome,
                                String classpath,
                                List<String> settings, int seconds, int rampSeconds, int settleSeconds, long windowAfterTasks,
                                int maxInFlight, int tasks, long taskMs) throws Exception {
        try (var server = new ServerUnderTest(dataDir, database)) {
            if (serverCpus != null) {
                server.pinTo(serverCpus);
            }
            if (recordWindow) {
                server.recordDeepStacks();
            }
            List<String> tokens = server.seedPilots(count);
            server.start(javaHome, classpath, serverHeap, settings);
            // Queued before the pilots come: the sweep's expansion and the connections do not fill the heap at once.
            if (tasks > 0) {
                server.launchSweep(tasks);
            }
            // The heap of the server with no pilot: what the pilots cost on top of it is (after GC - this) / pilots.
            long baselineMiB = server.heapUsedMiB(javaHome, true);
            var tally = new SimulatedPilot.Tally(maxInFlight);
            var peakHeap = new AtomicLong(server.heapUsedMiB(javaHome, false));
            // Several clients: one HttpClient's selector thread for 10,000 sockets would be the bottleneck.
            var clients = new ArrayList<HttpClient>();
            for (int i = 0; i < 8; i++) {
                clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build());
            }
            var pilots = Executors.newVirtualThreadPerTaskExecutor();
            var sampler = Thread.ofVirtual().start(() -> {
                try {
                    boolean saved = false;
                    while (server.alive()) {
                        long used = server.heapUsedMiB(javaHome, false);
                        peakHeap.accumulateAndGet(used, Math::max);
                        if (used > 800 && !saved) {
                            server.saveHeapHistogram(javaHome, dataDir.resolve("heap-histogram.txt"));
                            saved = true;
                        }
                        Thread.sleep(2_000);
                    }
                } catch (InterruptedException e) {
                    // the step's end
                }
            });
            try {
                long rampNanos = TimeUnit.SECONDS.toNanos(rampSeconds);
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    long due = start + rampNanos * i / count;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                    pilots.submit(new SimulatedPilot(clients.get(i % clients.size()), server.url(), tokens.get(i),
                            "sim-" + i, 20_000, taskMs, 10_000, tally));
                }
                // An idle pool is measured once every pilot registered (a busy machine registers them slowly), within limits.
                long ramped = System.nanoTime();
                long until = ramped + TimeUnit.SECONDS.toNanos(settleSeconds);
                while ((tally.registered.sum() < count || tally.completedAll.sum() < windowAfterTasks) && System.nanoTime() < until
                        && server.alive()) {
                    Thread.sleep(100);
                }
                double windowOpenedAfterS = (System.nanoTime() - ramped) / 1e9;
                long doneBeforeWindow = tally.completedAll.sum();
                System.out.printf("scale: %,d of %,d registered %.1f s after the ramp, %,d tasks done%n", tally.registered.sum(), count,
                        windowOpenedAfterS, doneBeforeWindow);
                var before = scrape(server);
                double memoryShedBefore = server.memoryShedSeconds();
                double lostBefore = server.attemptsLost();
                if (recordWindow) {
                    server.startRecording(javaHome, dataDir.resolve("window.jfr"), seconds);
                }
                double serverCpuBefore = server.cpuSeconds();
                double generatorCpuBefore = generatorCpuSeconds();
                var machineBefore = MachineCpu.now();
                tally.measuring = true;
                long t0 = System.nanoTime();
                long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < end && server.alive() && (tasks == 0 || tally.completed.sum() < tasks)) {
                    Thread.sleep(500);
                }
                tally.measuring = false;
                double elapsed = (System.nanoTime() - t0) / 1e9;
                double serverCpuAfter = server.cpuSeconds();
                double generatorCores = (generatorCpuSeconds() - generatorCpuBefore) / elapsed;
                System.out.println("scale: the machine in the window: " + MachineCpu.now().since(machineBefore, elapsed));
                double serverCores = serverCpuBefore < 0 || serverCpuAfter < 0 ? -1 : (serverCpuAfter - serverCpuBefore) / elapsed;
                long completed = tally.completed.sum();
                // Scraped while the pilots still run: what the last window measured, read before anything stops.
                var after = scrape(server);
                double memoryShedAfter = server.memoryShedSeconds();
                double lostAfter = server.attemptsLost();
                long openFiles = server.openFiles();
                String serverP99 = !server.alive() ? "server died" : before == null || after == null ? "scrape failed"
                        : p99(before.leaseBuckets(), after.leaseBuckets());
                if (before != null && after != null && completed > 0) {
                    System.out.println("scale: answered in the window, per task completed: "
                            + perTask(before.answered(), after.answered(), completed));
                }
                if (after != null && after.heartbeatIntervalS() > 0) {
                    System.out.printf(Locale.ROOT, "scale: heartbeat interval told to pilots running tasks at the window's end: %.1f s%n",
                            after.heartbeatIntervalS());
                }
                long afterGc = server.alive() ? server.heapUsedMiB(javaHome, true) : -1;
                if (server.alive()) {
                    int waiting = server.waitingLeases();
                    System.out.printf("scale: heap after GC %d MiB, %d MiB before the pilots came; %,d lease requests waiting,"
                            + " %,d turned away in all; %,d open files; %.1f KiB a registered pilot (%.1f KiB over the baseline)%n",
                            afterGc, baselineMiB, waiting, server.turnedAway(), openFiles,
                            afterGc * 1024.0 / Math.max(1, tally.registered.sum()),
                            (afterGc - baselineMiB) * 1024.0 / Math.max(1, tally.registered.sum()));
                    server.saveHeapHistogram(javaHome, dataDir.resolve("heap-histogram-end.txt"));
                }
                if (tasks > 0 && tally.emptyLeases.sum() > 0) {
                    // With work queued no lease comes back empty: the sweep ran dry, and the window's rate counts idle pilots.
                    System.out.printf("scale: warning: %,d leases came back empty in the window: the sweep of %,d tasks ran out"
                            + " before its end, so tasks/s is not the server's rate under load (raise --tasks)%n", tally.emptyLeases.sum(), tasks);
                }
                var micros = tally.grantedLeaseMicros.stream().sorted().toList();
                String errors = counts(tally.errors);
                String shed = counts(tally.shed);
                return new Step(count, (int) tally.registered.sum(), windowOpenedAfterS, doneBeforeWindow, completed / elapsed, serverP99,
                        percentile(micros, 0.50) / 1000, percentile(micros, 0.99) / 1000, peakHeap.get(), afterGc,
                        tally.emptyLeases.sum(), tally.toldToComeBack.sum(), openFiles, shed.isEmpty() ? "none" : shed,
                        memoryShedBefore < 0 || memoryShedAfter < 0 ? -1 : memoryShedAfter - memoryShedBefore, memoryShedAfter,
                        lostBefore < 0 || lostAfter < 0 ? -1 : lostAfter - lostBefore, lostAfter,
                        serverCores, generatorCores, errors.isEmpty() ? "none" : errors, server.alive(), loadAverage());
            } finally {
                pilots.shutdownNow();
                if (!pilots.awaitTermination(60, TimeUnit.SECONDS)) {
                    System.out.println("scale: some simulated pilots did not stop within 60 s");
                }
                sampler.interrupt();
                clients.forEach(HttpClient::shutdownNow);
            }
        }
    }

    /** "call ×count, …" sorted by call; empty when there is none. */
    private static String counts(Map<String, LongAdder> byCall) {
        return byCall.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " ×" + e.getValue().sum()).collect(Collectors.joining(", "));
    }

    /** What the window reads from the server's metrics at either end: leases' latency, requests answered by URI. */
    private record Metrics(TreeMap<Double, Double> leaseBuckets, TreeMap<String, Double> answered, double heartbeatIntervalS) {}

    /** The heartbeat interval the server tells pilots running tasks (paced by their number), or -1 (an older server). */
    static double heartbeatIntervalSeconds(String prometheus) {
        var matcher = java.util.regex.Pattern.compile("(?m)^escadrille_pilots_heartbeat_interval_seconds(?:\\{[^}]*})? (\\S+)$")
                .matcher(prometheus);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    /** The server's metrics now, or null when it does not answer (dead, or at its connection limit). */
    private static Metrics scrape(ServerUnderTest server) throws InterruptedException {
        try {
            if (!server.alive()) {
                return null;
            }
            String text = server.scrape();
            return new Metrics(ServerUnderTest.leaseLatencyBuckets(text), ServerUnderTest.answeredByUri(text),
                    heartbeatIntervalSeconds(text));
        } catch (IOException e) {
            System.out.println("scale: /actuator/prometheus did not answer: " + e);
            return null;
        }
    }

    /**
     * The requests answered (2xx) between two scrapes, by URI, each with its count per task completed, the most
     * first: what the pool's own calls cost per task, e.g. {@code /api/pilot/v1/heartbeat ×12,345 (0.41)}.
     */
    static String perTask(Map<String, Double> before, Map<String, Double> after, long completed) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s ×%,d (%.2f)", e.getKey(), Math.round(e.getValue()), e.getValue() / completed))
                .collect(Collectors.joining(", "));
    }

    /** The smallest bucket bound under which 99% of the leases answered between the two scrapes fell. */
    static String p99(TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (after.isEmpty() || total <= 0) {
            return "no leases";
        }
        for (var bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= 0.99 * total) {
                return bucket.getKey().isInfinite() ? "> largest bucket" : "≤ " + Math.round(bucket.getKey() * 1000) + " ms";
            }
        }
        return "?";
    }

    private static long percentile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static String table(List<Step> steps, int seconds, long taskMs, int tasks, String maxConnections, String database,
                                String serverHeap, String serverCpus, String generatorCpus) {
        var text = new StringBuilder("""
                | pilots | registered | window opened after the ramp (tasks done by then) | tasks/s | CPU in the window: server / generator (cores) | tasks per server CPU-second | server lease p99 | pilots' granted lease p50 / p99 | server heap peak / after GC | after GC per registered pilot | server's open files | empty leases (told to come back) | shed (503, each sent again) | every call shed for memory: window / run | attempts lost: window / run | errors | load average |
                | ---: | ---: | ---: | ---: | --- | ---: | --- | --- | --- | ---: | ---: | --- | --- | --- | --- | --- | --- |
                """);
        for (Step s : steps) {
            text.append("| %,d | %,d | %.0f s (%,d) | %.0f | %s / %s | %s | %s | %d / %d ms | %d / %d MiB | %.1f KiB | %,d | %,d (%,d) | %s | %s / %s s | %s / %s | %s%s | %s |%n".formatted(
                    s.pilots(), s.registered(), s.windowOpenedAfterS(), s.doneBeforeWindow(), s.completedPerS(), cores(s.serverCores()), cores(s.generatorCores()),
                    s.tasksPerServerCpuSecond() < 0 ? "?" : "%.0f".formatted(s.tasksPerServerCpuSecond()),
                    s.serverP99(), s.clientP50Ms(), s.clientP99Ms(), s.peakHeapMiB(),
                    s.heapAfterGcMiB(), s.kibPerPilot(), s.openFiles(), s.emptyLeases(), s.toldToComeBack(), s.shed(),
                    seconds(s.memoryShedWindowS()), seconds(s.memoryShedRunS()), count(s.lostWindow()), count(s.lostRun()), s.errors(),
                    s.serverAlive() ? "" : "; server died", s.loadAverage()));
        }
        text.append("%nWindow %d s per step, task %d ms, sweep of %,d tasks, server.tomcat.max-connections=%s, database %s, server heap %s; %s; load average %s.%n"
                .formatted(seconds, taskMs, tasks, maxConnections, database, serverHeap,
                        serverCpus == null && generatorCpus == null ? "server and generator on all CPUs"
                                : "server on CPUs " + (serverCpus == null ? "all" : serverCpus) + ", generator on CPUs "
                                + (generatorCpus == null ? "all" : generatorCpus), loadAverage()));
        return text.toString();
    }

    /** A count from the server's counters, or "?" when it could not be read (-1). */
    private static String count(double value) {
        return value < 0 ? "?" : "%,d".formatted(Math.round(value));
    }

    /** Cores to two decimals, or "?" when unknown (-1). */
    private static String cores(double value) {
        return value < 0 ? "?" : "%.2f".formatted(value);
    }

    /** Seconds to one decimal, or "?" when the server could not be read (-1). */
    private static String seconds(double value) {
        return value < 0 ? "?" : "%.1f".formatted(value);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
