package org.escadrille.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench/run slurm} (issue 13, P6): a burst of short tasks through a SLURM site — the factory
 * submits pilots with {@code sbatch}, they pull the tasks — against the same work submitted as one
 * {@code sbatch --array}, side by side on the cluster of {@code .ci/slurm-up}. Pilots pay the batch
 * system's cost per job once; an array pays it for every task.
 */
final class SlurmBurstBench {
    static final String SLEEP = """
            {"name": "short-sleep", "tool-version": "1", "schema-version": "0.5", "description": "sleeps a moment",
             "command-line": "sleep %s; true [I]",
             "inputs": [{"id": "i", "name": "i", "type": "Number", "integer": true, "value-key": "[I]"}]}""";

    /** What to run; see {@link BenchMain#USAGE}. */
    record Settings(int runs, int arrayRuns, int tasks, double taskSeconds, int slotsPerPilot, int pilots,
                    String partition, Path results) {
    }

    /** One Escadrille run: from the POST to Finished, and when every slot of the site was first busy. */
    record Run(double wallS, double firstStartS, double allSlotsBusyS, int pilotsQueuedAtEnd, int jobsAtEnd, String status) {
    }

    private final Settings settings;

    SlurmBurstBench(Settings settings) {
        this.settings = settings;
    }

    void run() throws Exception {
        Files.createDirectories(settings.results());
        int slots = settings.slotsPerPilot() * settings.pilots();
        System.out.printf(Locale.ROOT, "slurm: %s%nslurm: %d tasks of sleep %s, %d pilot(s) × %d slot(s); %d Escadrille run(s), %d array run(s)%n",
                Machine.describe(), settings.tasks(), settings.taskSeconds(), settings.pilots(), settings.slotsPerPilot(),
                settings.runs(), settings.arrayRuns());
        command("sinfo", "--noheader");
        var ours = new ArrayList<Run>();
        var arrays = new ArrayList<Double>();
        for (int run = 1; run <= Math.max(settings.runs(), settings.arrayRuns()); run++) {
            if (run <= settings.runs()) {
                Run result = escadrille(run);
                ours.add(result);
                System.out.printf(Locale.ROOT, "slurm: escadrille run %d: %s in %.2f s (first task started %.2f s, all %d slots busy %.2f s; "
                                + "pilots queued at the end %d, jobs left %d)%n", run, result.status(), result.wallS(), result.firstStartS(),
                        slots, result.allSlotsBusyS(), result.pilotsQueuedAtEnd(), result.jobsAtEnd());
            }
            if (run <= settings.arrayRuns()) {
                double seconds = array(run);
                arrays.add(seconds);
                System.out.printf(Locale.ROOT, "slurm: sbatch --array run %d: %d tasks in %.2f s%n", run, settings.tasks(), seconds);
            }
        }
        summarise(ours, arrays, slots);
    }

    private Run escadrille(int run) throws Exception {
        Path work = settings.results().resolve("work-" + run);
        var properties = new LinkedHashMap<String, String>(Map.of("escadrille.local.enabled", "false",
                "escadrille.limits.tasks-per-launch", Integer.toString(Math.max(settings.tasks(), 10_000))));
        try (var server = BenchServer.start(settings.results().resolve("data"), properties)) {
            Api api = server.admin();
            api.post("/api/v1/apps", SLEEP.formatted(settings.taskSeconds()), 201);
            var siteSettings = new LinkedHashMap<String, String>();
            siteSettings.put("partition", settings.partition());
            siteSettings.put("work-dir", work.toAbsolutePath().toString());
            siteSettings.put("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            siteSettings.put("java-options", DispatchBench.PILOT_JVM);
            siteSettings.put("time-limit", "30m");
            siteSettings.put("idle-timeout", "5s");
            api.post("/api/v1/sites", Map.of("name", "bench", "kind", "slurm", "settings", siteSettings,
                    "maxQueued", settings.pilots(), "maxRunning", settings.pilots(), "slotsPerPilot", settings.slotsPerPilot(),
                    "maxSlots", settings.pilots() * settings.slotsPerPilot()), 201);
            var request = Map.of("app", "short-sleep", "inputs", Map.of("i", IntStream.range(0, settings.tasks()).boxed().toList()));
            long t0 = System.nanoTime();
            String id = api.post("/api/v1/executions", request, 201).path("id").asString();
            JsonNode execution;
            while (true) {
                execution = api.get("/api/v1/executions/" + id);
                if (execution.path("status").asString().matches("Finished|ExecutionFailed|InitializationFailed|Killed")) {
                    break;
                }
                Thread.sleep(200);
            }
            double wallS = (System.nanoTime() - t0) / 1e9;
            int queued = api.get("/api/v1/sites/bench").path("health").path("pilotsQueued").asInt();
            int jobs = jobs("bench").size();
            JsonNode tasks = api.get("/api/v1/executions/" + id + "/tasks");
            long created = Instant.parse(execution.path("createdAt").asString()).toEpochMilli();
            var starts = new ArrayList<Long>();
            var ends = new ArrayList<Long>();
            for (JsonNode task : tasks.isArray() ? tasks : tasks.path("items")) {
                for (JsonNode attempt : task.path("attempts")) {
                    if (!attempt.path("startedAt").isNull() && !attempt.path("endedAt").isNull()) {
                        starts.add(Instant.parse(attempt.path("startedAt").asString()).toEpochMilli());
                        ends.add(Instant.parse(attempt.path("endedAt").asString()).toEpochMilli());
                    }
                }
            }
            double firstStart = (starts.stream().mapToLong(Long::longValue).min().orElse(created) - created) / 1000.0;
            double allBusy = (firstTimeRunning(starts, ends, settings.pilots() * settings.slotsPerPilot()) - created) / 1000.0;
            for (String job : jobs("bench")) {
                command("scancel", job);
            }
            return new Run(wallS, firstStart, allBusy, queued, jobs, execution.path("status").asString());
        }
    }

    /** When as many attempts as {@code slots} first ran at once (or the end of the last, if never). */
    static long firstTimeRunning(List<Long> starts, List<Long> ends, int slots) {
        var events = new TreeMap<Long, Integer>();
        for (int i = 0; i < starts.size(); i++) {
            events.merge(starts.get(i), 1, Integer::sum);
            events.merge(ends.get(i), -1, Integer::sum);
        }
        int running = 0;
        long last = 0;
        for (var event : events.entrySet()) {
            running += event.getValue();
            last = event.getKey();
            if (running >= slots) {
                return event.getKey();
            }
        }
        return last;
    }

    /** The same work as one job array, one array task per task, each on one core; seconds until squeue no longer lists it. */
    private double array(int run) throws Exception {
        Path out = settings.results().resolve("array-" + run);
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        String job = command("sbatch", "--parsable", "--job-name=escadrille-bench-array", "--partition=" + settings.partition(),
                "--array=0-" + (settings.tasks() - 1), "--cpus-per-task=1", "--mem=64M",
                "--output=" + out.resolve("task-%a.out"), "--wrap=sleep " + settings.taskSeconds()).strip();
        job = job.contains(";") ? job.substring(0, job.indexOf(';')) : job;
        while (!command("squeue", "--noheader", "--array", "--jobs=" + job, "--format=%i").isBlank()) {
            Thread.sleep(200);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private void summarise(List<Run> ours, List<Double> arrays, int slots) throws IOException {
        double work = settings.tasks() * settings.taskSeconds();
        double wall = Stats.median(ours.stream().map(Run::wallS).toList());
        double startUp = Stats.median(ours.stream().map(Run::firstStartS).toList());
        double ideal = work / slots + startUp;
        double array = arrays.isEmpty() ? Double.NaN : Stats.median(arrays);
        var text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s%n%n", Machine.describe()));
        text.append(String.format(Locale.ROOT, "%d tasks of `sleep %s` (%.1f s of work), %d pilot(s) × %d slot(s).%n%n", settings.tasks(),
                settings.taskSeconds(), work, settings.pilots(), settings.slotsPerPilot()));
        text.append("| | runs | wall (s), median (runs) | ÷ Escadrille |\n| --- | --- | --- | --- |\n");
        text.append(String.format(Locale.ROOT, "| Escadrille, SLURM site | %d | **%.2f** (%s) | 1 |%n", ours.size(), wall,
                join(ours.stream().map(Run::wallS).toList())));
        text.append(String.format(Locale.ROOT, "| `sbatch --array` | %d | %.2f (%s) | **%.1f×** |%n", arrays.size(), array,
                join(arrays), array / wall));
        text.append(String.format(Locale.ROOT, "%nIdeal (work ÷ %d slots + one pilot start-up of %.2f s, the median from the POST to the "
                        + "first task's start): %.2f s; Escadrille ÷ ideal: **%.2f**.%n", slots, startUp, ideal, wall / ideal));
        text.append(String.format(Locale.ROOT, "Every slot busy after (median): %.2f s. Pilots still queued in SLURM when the execution "
                        + "ended: %s; pilot jobs left at that moment (idle pilots, leaving after their 5 s idle timeout): %s.%n",
                Stats.median(ours.stream().map(Run::allSlotsBusyS).toList()),
                ours.stream().map(run -> Integer.toString(run.pilotsQueuedAtEnd())).toList(),
                ours.stream().map(run -> Integer.toString(run.jobsAtEnd())).toList()));
        Files.writeString(settings.results().resolve("summary.md"), text, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(text);
    }

    private static String join(List<Double> values) {
        return String.join(", ", values.stream().map(value -> String.format(Locale.ROOT, "%.2f", value)).toList());
    }

    private static List<String> jobs(String site) throws Exception {
        var ids = new ArrayList<String>();
        for (String line : command("squeue", "--noheader", "--me", "--format=%i|%k").split("\n")) {
            if (line.contains("site=" + site + " ")) {
                ids.add(line.substring(0, line.indexOf('|')).strip());
            }
        }
        return ids;
    }

    private static String command(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output
                    + " (is the cluster up? sudo .ci/slurm-up)");
        }
        return output;
    }
}
