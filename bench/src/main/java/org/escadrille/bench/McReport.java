package org.escadrille.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Writes what {@code bench/run mc} measured: raw CSV and JSON per run, a timeline SVG per run, and a
 * summary table of medians; copies the median run's figures to {@code bench/figures}.
 */
final class McReport {
    private final MonteCarloBench.Settings settings;
    private final CpuCgroup.Version version;

    McReport(MonteCarloBench.Settings settings, CpuCgroup.Version version) {
        this.settings = settings;
        this.version = version;
    }

    /** Rewrites the raw files after every run, so an interrupted benchmark keeps what it measured. */
    void write(List<McResult> results) throws IOException {
        Path dir = settings.results();
        var runs = new StringBuilder("scenario,mode,run,execution,status,load1,other_cores_before,other_cores_during,makespan_s,ideal_s,ratio,"
                + "ideal_with_downtime_s,ratio_with_downtime,ratio_with_failure_cost,merge_s,end_spread_s,kill_at_s,downtime_s,total_events,"
                + "events_done,overshoot,lost_events_estimate,lane_rates_events_per_s,energy_wh,carbon_g,wasted_share\n");
        var tasks = new StringBuilder("scenario,mode,run,lane,pilot,task,index,status,leased_s,start_s,end_s,events\n");
        for (McResult r : results) {
            runs.append(String.join(",", r.scenario(), r.mode(), Integer.toString(r.run()), r.executionId(), r.status(),
                    f(r.load1()), f(r.backgroundBefore()), f(r.backgroundDuring()), f(r.makespanS()), f(r.idealS()), f(r.ratio()), f(r.idealDowntimeS()),
                    f(r.ratioDowntime()), f(r.ratioFailureCost()), f(r.mergeS()), f(r.spreadS()), f(r.killAtS()), f(r.downtimeS()),
                    Long.toString(r.totalEvents()), Long.toString(r.eventsDone()), f(r.overshoot()), String.format(Locale.ROOT, "%.0f", r.lostEvents()),
                    r.laneRates().stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).collect(Collectors.joining(";")),
                    f(r.footprint().energyWh()), f(r.footprint().carbonGrams()), f(r.footprint().wastedShare())))
                    .append('\n');
            for (Timeline.Bar bar : r.timeline().bars()) {
                tasks.append(String.join(",", r.scenario(), r.mode(), Integer.toString(r.run()), Integer.toString(bar.lane() + 1),
                        bar.pilotId(), bar.taskId(), Integer.toString(bar.taskIndex()), bar.status(), f(bar.leasedS()),
                        f(bar.startS()), f(bar.endS()), bar.events() == null ? "" : Long.toString(bar.events()))).append('\n');
            }
            String name = "timeline-" + r.key() + "-run" + r.run();
            Files.writeString(dir.resolve(name + ".svg"), TimelineSvg.render(r.timeline()));
            Files.writeString(dir.resolve(name + ".json"), Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r.timeline()));
        }
        Files.writeString(dir.resolve("runs.csv"), runs);
        Files.writeString(dir.resolve("tasks.csv"), tasks);
    }

    /** The table of medians (printed and written to summary.md) and the figures of the median runs. */
    void summarise(List<McResult> results) throws IOException {
        Map<String, List<McResult>> byKey = new LinkedHashMap<>();
        results.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        var out = new StringBuilder();
        out.append("# bench/run mc\n\n").append(Machine.describe()).append("; pilots in ").append(version.describe())
                .append(" with ").append(settings.quotas()).append(" core(s), one slot each; ").append(settings.events())
                .append(" events of pi; lease ").append(settings.lease()).append(".\n\n");
        out.append("| scenario | split | runs | makespan (s) | ideal (s) | ratio to ideal | ratio range | merge (s) | end spread (s) | ratio to ideal with downtime | … and lost events | events simulated ÷ asked (range) | energy (Wh) | wasted |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (var entry : byKey.entrySet()) {
            var rs = entry.getValue();
            McResult first = rs.get(0);
            var ratios = rs.stream().map(McResult::ratio).toList();
            var overshoots = rs.stream().map(McResult::overshoot).filter(v -> !Double.isNaN(v)).toList();
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | **%s** | %s–%s | %s | %s | %s | %s | %s | %s | %s |%n",
                    first.scenario(), first.mode(), rs.size(), m(rs, McResult::makespanS, 1), m(rs, McResult::idealS, 1),
                    Stats.format(Stats.median(ratios), 3), Stats.format(Stats.min(ratios), 3), Stats.format(Stats.max(ratios), 3),
                    m(rs, McResult::mergeS, 2), first.mode().equals("dynamic") ? m(rs, McResult::spreadS, 2) : "—",
                    first.scenario().equals("B") ? m(rs, McResult::ratioDowntime, 3) : "—",
                    first.scenario().equals("B") ? m(rs, McResult::ratioFailureCost, 3) : "—",
                    overshoots.isEmpty() ? "—" : Stats.format(Stats.median(overshoots), 3) + " ("
                            + Stats.format(Stats.min(overshoots), 3) + "–" + Stats.format(Stats.max(overshoots), 3) + ")",
                    m(rs, r -> r.footprint().energyWh(), 3), percent(m(rs, r -> r.footprint().wastedShare() * 100, 1))));
        }
        for (String scenario : settings.scenarios()) {
            var s = byKey.getOrDefault(scenario + "-static", List.of());
            var d = byKey.getOrDefault(scenario + "-dynamic", List.of());
            if (!s.isEmpty() && !d.isEmpty()) {
                out.append(String.format(Locale.ROOT, "%nScenario %s: static makespan ÷ dynamic makespan (medians) = %.2f;"
                                + " static energy ÷ dynamic energy (medians, Green Algorithms) = %.2f.",
                        scenario, Stats.median(s.stream().map(McResult::makespanS).toList())
                                / Stats.median(d.stream().map(McResult::makespanS).toList()),
                        Stats.median(s.stream().map(r -> r.footprint().energyWh()).toList())
                                / Stats.median(d.stream().map(r -> r.footprint().energyWh()).toList())));
            }
        }
        out.append("\n\nCores used by other processes during each run (load average before it): ").append(results.stream()
                .map(r -> String.format(Locale.ROOT, "%s#%d %.2f (%.1f)", r.key(), r.run(), r.backgroundDuring(), r.load1()))
                .collect(Collectors.joining(", "))).append(".\n");
        Files.writeString(settings.results().resolve("summary.md"), out);
        System.out.println(out);
        if (settings.figures() != null) {
            Files.createDirectories(settings.figures());
            for (var entry : byKey.entrySet()) {
                var sorted = entry.getValue().stream().sorted(Comparator.comparingDouble(McResult::makespanS)).toList();
                McResult median = sorted.get((sorted.size() - 1) / 2);
                Files.copy(settings.results().resolve("timeline-" + median.key() + "-run" + median.run() + ".svg"),
                        settings.figures().resolve("mc-" + median.key() + ".svg"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The results a previous invocation wrote to {@code dir} (runs.csv and the timelines' JSON), to summarise again. */
    static List<McResult> read(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("runs.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        var results = new ArrayList<McResult>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Function<String, String> text = name -> cells[header.indexOf(name)];
            ToDoubleFunction<String> number = name -> {
                int index = header.indexOf(name);
                return index < 0 || cells[index].isEmpty() ? Double.NaN : Double.parseDouble(cells[index]);
            };
            String scenario = text.apply("scenario");
            String mode = text.apply("mode");
            int run = Integer.parseInt(text.apply("run"));
            Timeline timeline = Api.JSON.readValue(dir.resolve("timeline-" + scenario + "-" + mode + "-run" + run + ".json").toFile(),
                    Timeline.class);
            results.add(new McResult(scenario, mode, run, text.apply("execution"), text.apply("status"),
                    number.applyAsDouble("load1"), number.applyAsDouble("other_cores_before"),
                    number.applyAsDouble("other_cores_during"), number.applyAsDouble("makespan_s"),
                    number.applyAsDouble("ideal_s"), number.applyAsDouble("ideal_with_downtime_s"),
                    number.applyAsDouble("merge_s"), number.applyAsDouble("end_spread_s"),
                    number.applyAsDouble("downtime_s"), number.applyAsDouble("kill_at_s"),
                    Long.parseLong(text.apply("total_events")), Long.parseLong(text.apply("events_done")),
                    number.applyAsDouble("lost_events_estimate"),
                    Arrays.stream(text.apply("lane_rates_events_per_s").split(";")).map(Double::parseDouble).toList(),
                    timeline, new McResult.Footprint(number.applyAsDouble("energy_wh"), number.applyAsDouble("carbon_g"),
                            number.applyAsDouble("wasted_share"))));
        }
        return results;
    }

    private static String m(List<McResult> rs, ToDoubleFunction<McResult> f, int decimals) {
        return Stats.format(Stats.median(rs.stream().map(r -> f.applyAsDouble(r)).toList()), decimals);
    }

    private static String percent(String number) {
        return number.equals("—") ? number : number + " %";
    }

    private static String f(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }
}
