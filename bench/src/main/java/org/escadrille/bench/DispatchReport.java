package org.escadrille.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Writes what {@code bench/run dispatch} measured: raw CSV, the profile, and the table of medians with ratios. */
final class DispatchReport {
    /** One timed run of a tool; {@code perTasksS} is the wall time scaled to the benchmark's task count. */
    record ToolRun(String tool, int run, int tasks, double wallS, double perTasksS, double load1, double backgroundCores) {
    }

    private final DispatchBench.Settings settings;
    private final List<ToolRun> runs = new ArrayList<>();
    private final List<DispatchRun> escadrille = new ArrayList<>();
    private final List<DispatchRun> warmups = new ArrayList<>();
    private String profile = "";

    DispatchReport(DispatchBench.Settings settings) {
        this.settings = settings;
    }

    void reference(String tool, int run, int tasks, double seconds, double load, double background) {
        runs.add(new ToolRun(tool, run, tasks, seconds, seconds * settings.tasks() / tasks, load, background));
    }

    void warmup(DispatchRun run) {
        warmups.add(run);
    }

    /** A timed run of {@code escadrille} (its phases are reported) or {@code escadrille-sandboxed}. */
    void escadrille(String tool, DispatchRun run) {
        if (tool.equals("escadrille")) {
            escadrille.add(run);
        }
        runs.add(new ToolRun(tool, run.run(), run.tasks(), run.wallS(), run.wallS() * settings.tasks() / run.tasks(), run.load1(),
                run.backgroundCores()));
    }

    void profiled(DispatchRun run, JfrProfile.Profile server, JfrProfile.Profile pilot) throws IOException {
        var out = new StringBuilder(String.format(Locale.ROOT,
                "Profiled run (not timed in the table): %d tasks in %.1f s; server JVM %.1f CPU s, pilot JVM %.1f CPU s, tasks %.1f CPU s%n%n",
                run.tasks(), run.wallS(), run.serverCpuS(), run.pilotCpuS(), run.taskCpuS()));
        out.append(server.format("server (in the benchmark's JVM)", 15)).append('\n');
        if (pilot != null) {
            out.append(pilot.format("pilot", 15));
        }
        profile = out.toString();
        Files.writeString(settings.results().resolve("profile.txt"), profile);
    }

    void write() throws IOException {
        var csv = new StringBuilder("tool,run,tasks,wall_s,wall_s_scaled_to_" + settings.tasks() + ",load1,other_cores_during\n");
        runs.forEach(r -> csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.3f,%.2f,%.2f%n", r.tool(), r.run(), r.tasks(),
                r.wallS(), r.perTasksS(), r.load1(), r.backgroundCores())));
        Files.writeString(settings.results().resolve("runs.csv"), csv);
        var phases = new StringBuilder("run,tasks,status,load1,wall_s,api_s,post_s,first_lease_s,first_start_s,last_end_s,"
                + "tasks_per_s,lease_to_start_ms,start_to_end_ms,slot_occupancy,server_cpu_s,pilot_cpu_s,task_cpu_s\n");
        escadrille.forEach(r -> phases.append(String.format(Locale.ROOT,
                "%d,%d,%s,%.2f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.1f,%.1f,%.1f,%.3f,%.1f,%.1f,%.1f%n", r.run(), r.tasks(),
                r.status(), r.load1(), r.wallS(), r.apiS(), r.postS(), r.firstLeaseS(), r.firstStartS(), r.lastEndS(),
                r.tasksPerS(), r.leaseToStartMs(), r.startToEndMs(), r.occupancy(), r.serverCpuS(), r.pilotCpuS(), r.taskCpuS())));
        Files.writeString(settings.results().resolve("escadrille-phases.csv"), phases);
    }

    void summarise() throws IOException {
        write();
        Map<String, List<ToolRun>> byTool = new LinkedHashMap<>();
        runs.forEach(r -> byTool.computeIfAbsent(r.tool(), k -> new ArrayList<>()).add(r));
        var medians = new LinkedHashMap<String, Double>();
        byTool.forEach((tool, rs) -> medians.put(tool, Stats.median(rs.stream().map(ToolRun::perTasksS).toList())));
        double ours = medians.getOrDefault("escadrille", Double.NaN);
        var out = new StringBuilder("# bench/run dispatch\n\n").append(Machine.describe()).append(".\n\n");
        out.append("| tool | tasks run | runs | wall (s), median | wall per ").append(settings.tasks())
                .append(" tasks (s) | Escadrille ÷ tool |\n| --- | --- | --- | --- | --- | --- |\n");
        byTool.forEach((tool, rs) -> out.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s |%n", tool,
                rs.get(0).tasks(), rs.size(), Stats.format(Stats.median(rs.stream().map(ToolRun::wallS).toList()), 2),
                Stats.format(medians.get(tool), 2), tool.equals("escadrille") ? "1" : Stats.format(ours / medians.get(tool), 2))));
        if (medians.containsKey("escadrille-sandboxed") && medians.containsKey("xargs-bwrap")) {
            out.append(String.format(Locale.ROOT, "%nSandboxed: escadrille-sandboxed ÷ xargs-bwrap = %s%n",
                    Stats.format(medians.get("escadrille-sandboxed") / medians.get("xargs-bwrap"), 2)));
        }
        if (!escadrille.isEmpty()) {
            out.append("\nEscadrille phases (medians, seconds from the POST unless said):\n\n")
                    .append("| POST (plan + insert + queue) | first lease | first start | last end | Finished (API) | tasks/s | lease→start (ms) | start→end (ms) | slot occupancy | server CPU s | pilot CPU s | task CPU s |\n")
                    .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
                    .append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                            m(DispatchRun::postS, 2), m(DispatchRun::firstLeaseS, 2), m(DispatchRun::firstStartS, 2),
                            m(DispatchRun::lastEndS, 1), m(DispatchRun::apiS, 1), m(DispatchRun::tasksPerS, 1),
                            m(DispatchRun::leaseToStartMs, 1), m(DispatchRun::startToEndMs, 1), m(DispatchRun::occupancy, 2),
                            m(DispatchRun::serverCpuS, 1), m(DispatchRun::pilotCpuS, 1), m(DispatchRun::taskCpuS, 1)));
        }
        if (!warmups.isEmpty()) {
            out.append("\nEscadrille warm-up rounds before them (not timed above; the first in a cold JVM): ");
            warmups.forEach(r -> out.append(String.format(Locale.ROOT, "%.1f s (server %.1f CPU s, pilot %.1f, tasks %.1f); ",
                    r.wallS(), r.serverCpuS(), r.pilotCpuS(), r.taskCpuS())));
            out.append('\n');
        }
        out.append("\nCores used by other processes during each run (load average before it): ");
        runs.forEach(r -> out.append(String.format(Locale.ROOT, "%s#%d %.2f (%.1f); ", r.tool(), r.run(), r.backgroundCores(), r.load1())));
        out.append("\n\n").append(profile.isEmpty() ? "" : "```\n" + profile + "```\n");
        Files.writeString(settings.results().resolve("summary.md"), out);
        System.out.println(out);
    }

    private String m(ToDoubleFunction<DispatchRun> field, int decimals) {
        return Stats.format(Stats.median(escadrille.stream().map(r -> field.applyAsDouble(r)).toList()), decimals);
    }
}
