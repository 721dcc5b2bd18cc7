package org.escadrille.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.escadrille.server.scheduling.PilotRegistry;
import org.escadrille.server.site.SiteFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench/run dispatch}: how fast Escadrille runs many tiny tasks (issue 5) — a sweep of
 * {@code n} no-op tasks on one local pilot with two slots — against xargs, GNU parallel and
 * snakemake on the same machine in the same invocation; and, on request, a profiled run. The row
 * {@code escadrille} runs tasks on the host (a one-user server), {@code escadrille-sandboxed} in
 * bubblewrap, to compare with {@code xargs-bwrap}.
 */
final class DispatchBench {
    static final String NOOP = """
            {"name": "noop", "tool-version": "1", "schema-version": "0.5", "description": "does nothing",
             "command-line": "true [I]",
             "inputs": [{"id": "i", "name": "i", "type": "Number", "integer": true, "value-key": "[I]"}],
             "output-files": [{"id": "none", "name": "none", "path-template": "none.out", "optional": true}]}""";
    /** The server's default JVM options of local pilots (EscadrilleProperties.Local). */
    static final String PILOT_JVM = "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1";

    /** What to run; see {@link BenchMain#USAGE}. */
    record Settings(int runs, int warmup, int tasks, int snakemakeTasks, List<String> tools, boolean profile, int timeoutMinutes,
                    double maxBackground, double maxWaitS, String pilotJvmOptions, Path results, int carminPollers) {
    }

    private final Settings settings;

    DispatchBench(Settings settings) {
        this.settings = settings;
    }

    void run() throws Exception {
        Files.createDirectories(settings.results());
        System.out.printf("dispatch: %s%ndispatch: %d run(s) of %d no-op tasks (snakemake: %d) with %s%n", Machine.describe(),
                settings.runs(), settings.tasks(), settings.snakemakeTasks(), settings.tools());
        var report = new DispatchReport(settings);
        if (settings.tools().contains("escadrille")) {
            // The server runs in this JVM, fresh for every run but compiled by the runs before: the
            // first round pays the JIT compilation of a whole Spring server (~10 CPU s). A server
            // that has run before is the steady state users see; the cold rounds are reported too.
            for (int round = 1; round <= settings.warmup(); round++) {
                DispatchRun warm = escadrille(-round, settings.tasks(), false, false);
                report.warmup(warm);
                System.out.printf(Locale.ROOT, "dispatch: escadrille warm-up %d (not timed): %d tasks %s in %.1f s%n", round,
                        warm.tasks(), warm.status(), warm.wallS());
            }
        }
        for (int run = 1; run <= settings.runs(); run++) {
            for (String tool : settings.tools()) {
                boolean ours = tool.startsWith("escadrille");
                if (!ours && ReferenceTools.available(tool)) {
                    CpuMeter.awaitQuiet(settings.maxBackground(), settings.maxWaitS(), () -> 0);
                }
                double load = Machine.load1();
                if (tool.equals("escadrille-sandboxed") && !ReferenceTools.available("bwrap")) {
                    System.out.println("dispatch: escadrille-sandboxed needs bubblewrap (apt-get install bubblewrap), skipped");
                } else if (ours) {
                    DispatchRun result = escadrille(run, settings.tasks(), false, tool.equals("escadrille-sandboxed"));
                    report.escadrille(tool, result);
                    System.out.printf(Locale.ROOT, "dispatch: %s run %d: %d tasks %s in %.1f s (POST %.2f s, "
                                    + "first lease %.2f s, %.0f tasks/s; other processes %.2f cores)%n", tool, run, result.tasks(),
                            result.status(), result.wallS(), result.postS(), result.firstLeaseS(), result.tasksPerS(),
                            result.backgroundCores());
                } else if (ReferenceTools.available(tool)) {
                    int n = tool.equals("snakemake") ? settings.snakemakeTasks() : settings.tasks();
                    CpuMeter.Sample from = CpuMeter.sample();
                    double seconds = ReferenceTools.run(tool, n, settings.results().resolve("work-" + tool));
                    double background = CpuMeter.background(from, CpuMeter.sample(), 0);
                    report.reference(tool, run, n, seconds, load, background);
                    System.out.printf(Locale.ROOT, "dispatch: %s run %d: %d tasks in %.2f s (other processes %.2f cores)%n",
                            tool, run, n, seconds, background);
                } else {
                    System.out.printf("dispatch: %s is not installed, skipped (bench/run installs it with apt-get)%n", tool);
                }
                report.write();
            }
        }
        if (settings.profile()) {
            DispatchRun profiled = escadrille(0, settings.tasks(), true, false);
            System.out.printf(Locale.ROOT, "dispatch: profiled escadrille run: %d tasks in %.1f s%n", profiled.tasks(), profiled.wallS());
            report.profiled(profiled, JfrProfile.analyse(settings.results().resolve("server.jfr")),
                    Files.exists(settings.results().resolve("pilot.jfr")) ? JfrProfile.analyse(settings.results().resolve("pilot.jfr")) : null);
        }
        report.summarise();
    }

    /** @param sandboxed tasks in bubblewrap, as a multi-user server runs them; else on the host, as before the sandbox */
    private DispatchRun escadrille(int run, int n, boolean profile, boolean sandboxed) throws Exception {
        var properties = new LinkedHashMap<String, String>(Map.of(
                "escadrille.local.enabled", "true", "escadrille.local.slots", "2", "escadrille.local.pilots", "1",
                "escadrille.local.pilot-jvm-options", settings.pilotJvmOptions(),
                "escadrille.security.single-user", Boolean.toString(!sandboxed),
                "escadrille.security.local-pilot-sandbox", sandboxed ? "bwrap" : "none"));
        // the whole sweep is one launch, whatever --tasks says
        properties.put("escadrille.limits.tasks-per-launch", Integer.toString(Math.max(n, 10_000)));
        Path pilotJfr = settings.results().resolve("pilot.jfr");
        if (profile) {
            Files.deleteIfExists(pilotJfr);
            properties.put("escadrille.local.pilot-jvm-options", settings.pilotJvmOptions() + " -XX:FlightRecorderOptions:stackdepth=256"
                    + " -XX:StartFlightRecording=filename=" + pilotJfr + ",settings=profile,dumponexit=true");
        }
        DispatchRun result;
        try (var server = BenchServer.start(settings.results().resolve("data"), properties)) {
            var registry = server.bean(PilotRegistry.class);
            long deadline = System.currentTimeMillis() + 60_000;
            while (registry.liveSlots(60_000) < 2) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the local pilot did not register within a minute; see " + server.dataDir());
                }
                Thread.sleep(50);
            }
            Api api = server.admin();
            api.post("/api/v1/apps", NOOP, 201);
            var local = server.bean(SiteFactory.class).localBackend().orElseThrow();
            long pilotPid = local.process(local.active().iterator().next()).orElseThrow().pid();
            var request = Map.of("app", "noop", "inputs", Map.of("i", IntStream.range(0, n).boxed().toList()));
            List<String> watched = settings.carminPollers() > 0 ? watched(api, settings.carminPollers()) : List.of();
            CpuMeter.awaitQuiet(settings.maxBackground(), settings.maxWaitS(), () -> CpuMeter.processSeconds(pilotPid));
            CarminPollers pollers = watched.isEmpty() ? null : new CarminPollers(api, watched);
            double load = Machine.load1();
            long[] pilotBefore = CpuMeter.ticks(Path.of("/proc", Long.toString(pilotPid), "stat"));
            long serverBefore = processCpuNanos();
            CpuMeter.Sample from = CpuMeter.sample();
            Recording recording = null;
            if (profile) {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.setToDisk(true);
                recording.start();
            }
            long t0 = System.nanoTime();
            String id = api.post("/api/v1/executions", request, 201).path("id").asString();
            double postS = (System.nanoTime() - t0) / 1e9;
            JsonNode execution;
            long timeout = t0 + settings.timeoutMinutes() * 60_000_000_000L;
            while (true) {
                execution = api.get("/api/v1/executions/" + id);
                if (execution.path("status").asString().matches("Finished|ExecutionFailed|InitializationFailed|Killed")) {
                    break;
                }
                if (System.nanoTime() > timeout) {
                    api.post("/api/v1/executions/" + id + "/kill", "{}", 200);
                    execution = api.get("/api/v1/executions/" + id);
                    break;
                }
                // As often as `escadrille run` polls (CliEnvironment.DEFAULT_POLL_INTERVAL): a watched execution.
                Thread.sleep(400);
            }
            double wallS = (System.nanoTime() - t0) / 1e9;
            if (pollers != null) {
                pollers.close();
                System.out.printf(Locale.ROOT, "dispatch: %d CARMIN pollers: %.0f status requests/s, %d failed%s%n",
                        settings.carminPollers(), pollers.pollsPerSecond(), pollers.failures(),
                        pollers.firstFailure() == null ? "" : " (first: " + pollers.firstFailure() + ")");
            }
            if (recording != null) {
                recording.stop();
                recording.dump(settings.results().resolve("server.jfr"));
                recording.close();
            }
            double serverCpu = (processCpuNanos() - serverBefore) / 1e9;
            long[] pilotAfter = CpuMeter.ticks(Path.of("/proc", Long.toString(pilotPid), "stat"));
            double pilotCpu = (pilotAfter[0] - pilotBefore[0]) / 100.0;
            double taskCpu = (pilotAfter[1] - pilotBefore[1]) / 100.0;
            double background = CpuMeter.background(from, CpuMeter.sample(), pilotCpu + taskCpu);
            JsonNode tasks = api.get("/api/v1/executions/" + id + "/tasks");
            result = measure(run, n, load, background, execution, tasks, wallS, postS, serverCpu, pilotCpu, taskCpu);
        }
        return result;
    }

    /** {@code count} executions (one no-op task each, ended) for CARMIN clients to watch: their ids. */
    private static List<String> watched(Api api, int count) throws InterruptedException {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            ids.add(api.post("/api/v1/executions", Map.of("app", "noop", "name", "watched-" + i, "inputs", Map.of("i", i)), 201)
                    .path("id").asString());
        }
        while (api.get("/api/v1/executions?status=active&limit=1").size() > 0) {
            Thread.sleep(200);
        }
        return ids;
    }

    private static DispatchRun measure(int run, int n, double load, double background, JsonNode execution, JsonNode tasks, double wallS,
                                       double postS, double serverCpu, double pilotCpu, double taskCpu) {
        long created = millis(execution.path("createdAt"));
        long ended = execution.path("endedAt").isNull() ? System.currentTimeMillis() : millis(execution.path("endedAt"));
        long firstLease = Long.MAX_VALUE;
        long firstStart = Long.MAX_VALUE;
        long lastEnd = 0;
        double leaseToStart = 0;
        double startToEnd = 0;
        double held = 0;
        int counted = 0;
        for (JsonNode task : tasks) {
            for (JsonNode attempt : task.path("attempts")) {
                if (attempt.path("leasedAt").isNull() || attempt.path("startedAt").isNull() || attempt.path("endedAt").isNull()) {
                    continue;
                }
                long leased = millis(attempt.path("leasedAt"));
                long started = millis(attempt.path("startedAt"));
                long end = millis(attempt.path("endedAt"));
                firstLease = Math.min(firstLease, leased);
                firstStart = Math.min(firstStart, started);
                lastEnd = Math.max(lastEnd, end);
                leaseToStart += started - leased;
                startToEnd += end - started;
                held += end - leased;
                counted++;
            }
        }
        double window = (lastEnd - firstLease) / 1000.0;
        double sinceStart = (lastEnd - firstStart) / 1000.0;
        return new DispatchRun(run, n, execution.path("status").asString(), load, background, wallS, (ended - created) / 1000.0, postS,
                (firstLease - created) / 1000.0, (firstStart - created) / 1000.0, (lastEnd - created) / 1000.0,
                counted / Math.max(1e-9, sinceStart), counted == 0 ? Double.NaN : leaseToStart / counted,
                counted == 0 ? Double.NaN : startToEnd / counted, held / 1000.0 / (2 * Math.max(1e-9, window)),
                serverCpu, pilotCpu, taskCpu);
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long millis(JsonNode instant) {
        return Instant.parse(instant.asString()).toEpochMilli();
    }
}
