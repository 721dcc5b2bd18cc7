package org.escadrille.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.escadrille.server.scheduling.PilotRegistry;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench/run mc}: dynamic versus static Monte-Carlo splitting (issue 6) on pilots of different
 * speeds — one pilot process per CPU cgroup, started by the benchmark against an in-process server
 * with no local pilots — without failures (scenario A) and with one pilot SIGKILLed mid-run and
 * replaced in its cgroup (scenario B).
 */
final class MonteCarloBench {
    /** What to run; see {@link BenchMain#USAGE}. */
    record Settings(int runs, long events, List<Double> quotas, double killAt, int victim, List<String> scenarios,
                    List<String> modes, String lease, double expectedS, double maxBackground, double maxWaitS,
                    boolean summariseOnly, Path results, Path figures) {
    }

    /** One cgroup and the pilot currently in it (a replacement takes the place of a killed one). */
    private static final class Lane {
        final int index;
        final CpuCgroup cgroup;
        ExternalPilot pilot;

        Lane(int index, CpuCgroup cgroup) {
            this.index = index;
            this.cgroup = cgroup;
        }

        String label() {
            return String.format(Locale.ROOT, "pilot %d (%.1f core)", index + 1, cgroup.cores());
        }
    }

    private final Settings settings;
    private final List<Lane> lanes = new ArrayList<>();
    private final Map<String, Integer> laneOfPilot = new HashMap<>();
    private final Map<Integer, List<Double>> rateHistory = new HashMap<>();
    private BenchServer server;
    private PilotRegistry registry;
    private Api api;

    MonteCarloBench(Settings settings) {
        this.settings = settings;
    }

    void run() throws Exception {
        CpuCgroup.Version version = CpuCgroup.detect();
        if (settings.summariseOnly()) {
            new McReport(settings, version).summarise(McReport.read(settings.results()));
            return;
        }
        Files.createDirectories(settings.results());
        System.out.printf("mc: %s%nmc: pilots in %s with %s core(s); %d run(s) of %s × %s, %d events each%n",
                Machine.describe(), version.describe(), settings.quotas(), settings.runs(), settings.scenarios(),
                settings.modes(), settings.events());
        var results = new ArrayList<McResult>();
        var report = new McReport(settings, version);
        try (var started = BenchServer.start(settings.results().resolve("data"), Map.of(
                "escadrille.local.enabled", "false",
                "escadrille.scheduling.lease", settings.lease(),
                "escadrille.scheduling.heartbeat", "1s",
                "escadrille.scheduling.long-poll", "2s"))) {
            server = started;
            registry = server.bean(PilotRegistry.class);
            api = server.admin();
            try {
                for (int i = 0; i < settings.quotas().size(); i++) {
                    var lane = new Lane(i, CpuCgroup.create("escadrille-bench-" + (i + 1), settings.quotas().get(i)));
                    lanes.add(lane);
                    startPilot(lane);
                }
                for (int run = 1; run <= settings.runs(); run++) {
                    for (String scenario : settings.scenarios()) {
                        for (String mode : settings.modes()) {
                            McResult result = execute(scenario, mode, run, killAtS(results));
                            results.add(result);
                            report.write(results);
                            System.out.printf(Locale.ROOT, "mc: %s run %d: %s in %.1f s, ideal %.1f s, ratio %.3f%s (other processes: %.2f cores before, %.2f during)%n",
                                    result.key(), run, result.status(), result.makespanS(), result.idealS(), result.ratio(),
                                    scenario.equals("B") ? String.format(Locale.ROOT, ", %.3f with the downtime", result.ratioDowntime()) : "",
                                    result.backgroundBefore(), result.backgroundDuring());
                        }
                    }
                }
            } finally {
                for (Lane lane : lanes) {
                    if (lane.pilot != null) {
                        lane.pilot.stop();
                    }
                    lane.cgroup.close();
                }
            }
        }
        report.summarise(results);
    }

    /** When scenario B kills its pilot: a fraction of the expected makespan (scenario A's dynamic median so far). */
    private double killAtS(List<McResult> done) {
        var dynamicA = done.stream().filter(r -> r.key().equals("A-dynamic")).map(McResult::makespanS).toList();
        double expected = dynamicA.isEmpty() ? settings.expectedS() : Stats.median(dynamicA);
        return settings.killAt() * expected;
    }

    private void startPilot(Lane lane) throws IOException {
        var credentials = registry.mint("bench");
        lane.pilot = ExternalPilot.start(server, credentials, 1, lane.cgroup);
        laneOfPilot.put(credentials.pilotId(), lane.index);
    }

    private boolean registered(String pilotId) {
        return registry.recent(200).stream().anyMatch(p -> p.id().equals(pilotId) && "RUNNING".equals(p.state()));
    }

    /** Waits until exactly one live pilot per lane is heard from (a killed one must have aged out of the window). */
    private void awaitPilots() throws InterruptedException {
        long window = Duration.parse("PT" + settings.lease().toUpperCase(Locale.ROOT)).toMillis();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!(registry.liveSlots(window) == lanes.size() && lanes.stream().allMatch(l -> registered(l.pilot.pilotId())))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the " + lanes.size() + " pilots did not all register within 2 minutes; see "
                        + server.dataDir().resolve("bench-pilots") + "/*/pilot.log");
            }
            Thread.sleep(100);
        }
    }

    private McResult execute(String scenario, String mode, int run, double killAtS) throws Exception {
        awaitPilots();
        double before = CpuMeter.awaitQuiet(settings.maxBackground(), settings.maxWaitS(), this::lanesCpuSeconds);
        double load = Machine.load1();
        CpuMeter.Sample from = CpuMeter.sample();
        double lanesFrom = lanesCpuSeconds();
        var inputs = Map.of("events", settings.events(), "seed", run);
        var request = new LinkedHashMap<String, Object>(Map.of("app", "pi", "inputs", inputs, "split", mode));
        if (mode.equals("static")) {
            request.put("tasks", lanes.size());
        }
        long t0 = System.currentTimeMillis();
        String id = api.post("/api/v1/executions", request, 201).path("id").asString();
        boolean failure = scenario.equals("B");
        Lane victim = lanes.get(settings.victim() - 1);
        long killMs = 0;
        long replacedMs = 0;
        JsonNode execution;
        while (true) {
            long now = System.currentTimeMillis();
            if (failure && killMs == 0 && now - t0 >= killAtS * 1000) {
                victim.cgroup.killAll();
                killMs = System.currentTimeMillis();
                startPilot(victim);
            }
            if (killMs > 0 && replacedMs == 0 && registered(victim.pilot.pilotId())) {
                replacedMs = System.currentTimeMillis();
            }
            execution = api.get("/api/v1/executions/" + id);
            if (execution.path("status").asString().matches("Finished|ExecutionFailed|InitializationFailed|Killed")) {
                break;
            }
            Thread.sleep(200);
        }
        while (killMs > 0 && replacedMs == 0) {
            Thread.sleep(50);
            if (registered(victim.pilot.pilotId())) {
                replacedMs = System.currentTimeMillis();
            }
        }
        double during = CpuMeter.background(from, CpuMeter.sample(), lanesCpuSeconds() - lanesFrom);
        JsonNode tasks = api.get("/api/v1/executions/" + id + "/tasks");
        return measure(scenario, mode, run, load, before, during, execution, tasks, killMs, replacedMs);
    }

    private double lanesCpuSeconds() {
        return lanes.stream().mapToDouble(l -> l.cgroup.usageSeconds()).sum();
    }

    private McResult measure(String scenario, String mode, int run, double load, double before, double during,
                             JsonNode execution, JsonNode tasks, long killMs, long replacedMs) {
        long created = millis(execution.path("createdAt"));
        long ended = millis(execution.path("endedAt"));
        var bars = new ArrayList<Timeline.Bar>();
        var laneEvents = new double[lanes.size()];
        var laneSeconds = new double[lanes.size()];
        long lastTaskEnd = 0;
        var goodEnds = new ArrayList<Double>();
        var lost = new ArrayList<Timeline.Bar>();
        for (JsonNode task : tasks) {
            for (JsonNode attempt : task.path("attempts")) {
                int lane = laneOfPilot.getOrDefault(attempt.path("pilotId").asString(), 0);
                long leased = millis(attempt.path("leasedAt"));
                long started = attempt.path("startedAt").isNull() ? leased : millis(attempt.path("startedAt"));
                long end = attempt.path("endedAt").isNull() ? ended : millis(attempt.path("endedAt"));
                String status = attempt.path("status").asString();
                Long events = attempt.path("events").isNumber() ? attempt.path("events").asLong() : null;
                var bar = new Timeline.Bar(lane, attempt.path("pilotId").asString(), task.path("id").asString(),
                        task.path("index").asInt(), status, (leased - created) / 1000.0, (started - created) / 1000.0,
                        (end - created) / 1000.0, events);
                bars.add(bar);
                lastTaskEnd = Math.max(lastTaskEnd, end);
                boolean endedWell = status.equals("SUCCEEDED") || status.equals("STOPPED");
                if (endedWell) {
                    goodEnds.add(bar.endS());
                }
                if (endedWell && events != null && events > 0 && end > started) {
                    laneEvents[lane] += events;
                    laneSeconds[lane] += (end - started) / 1000.0;
                }
                if (status.equals("LOST")) {
                    lost.add(bar);
                }
            }
        }
        var rates = new ArrayList<Double>();
        for (int lane = 0; lane < lanes.size(); lane++) {
            double rate = laneSeconds[lane] > 0 ? laneEvents[lane] / laneSeconds[lane] : Double.NaN;
            if (!Double.isNaN(rate)) {
                rateHistory.computeIfAbsent(lane, k -> new ArrayList<>()).add(rate);
            } else {
                // This lane finished nothing here (its pilot was killed and the retry ran elsewhere): its rate in the other runs.
                rate = Stats.median(rateHistory.getOrDefault(lane, List.of()));
            }
            rates.add(rate);
        }
        double sumRate = rates.stream().mapToDouble(Double::doubleValue).sum();
        long total = settings.events();
        double merge = (ended - lastTaskEnd) / 1000.0;
        double ideal = total / sumRate + merge;
        double downtime = killMs > 0 ? (replacedMs - killMs) / 1000.0 : Double.NaN;
        int victimLane = settings.victim() - 1;
        double idealDowntime = killMs > 0 ? (total + rates.get(victimLane) * downtime) / sumRate + merge : ideal;
        double lostEvents = 0;
        for (Timeline.Bar bar : lost) {
            double until = killMs > 0 ? Math.min(bar.endS(), (killMs - created) / 1000.0) : bar.endS();
            // A lost attempt's events are the ones its kept checkpoint (if any) did not save.
            double kept = bar.events() == null ? 0 : bar.events();
            lostEvents += Math.max(0, rates.get(bar.lane()) * Math.max(0, until - bar.startS()) - kept);
        }
        double spread = goodEnds.isEmpty() ? Double.NaN : Stats.max(goodEnds) - Stats.min(goodEnds);
        double makespan = (ended - created) / 1000.0;
        var markers = new ArrayList<Timeline.Marker>();
        double killAt = killMs > 0 ? (killMs - created) / 1000.0 : Double.NaN;
        if (killMs > 0) {
            markers.add(new Timeline.Marker(killAt, "pilot " + settings.victim() + " killed", "#c62828"));
        }
        markers.add(new Timeline.Marker(makespan, "finished", "#212121"));
        String title = String.format(Locale.ROOT, "%s, %s split, run %d: makespan %.1f s, ideal %.1f s (%.2f×)",
                scenario.equals("A") ? "A: heterogeneous pilots" : "B: 1 of 5 pilots killed", mode, run, makespan,
                ideal, makespan / ideal);
        var timeline = new Timeline(title, lanes.stream().map(l -> new Timeline.Lane(l.label())).toList(), bars,
                markers, makespan);
        return new McResult(scenario, mode, run, execution.path("id").asString(), execution.path("status").asString(),
                load, before, during, makespan, ideal, idealDowntime, merge, spread, downtime, killAt, total,
                execution.path("monteCarlo").path("eventsDone").asLong(), lostEvents, rates, timeline,
                footprint(execution.path("footprint")));
    }

    private static McResult.Footprint footprint(JsonNode footprint) {
        return footprint.isObject()
                ? new McResult.Footprint(footprint.path("energyWh").asDouble(), footprint.path("carbonGrams").asDouble(),
                        footprint.path("wastedShare").asDouble())
                : McResult.Footprint.UNKNOWN;
    }

    private static long millis(JsonNode instant) {
        return Instant.parse(instant.asString()).toEpochMilli();
    }
}
