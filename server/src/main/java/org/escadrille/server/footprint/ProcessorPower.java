package org.escadrille.server.footprint;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Watts per core of common processors: thermal design power divided by cores, as Green Algorithms
 * lists them (its {@code TDP_cpu.csv}, from the makers' data sheets and techpowerup.com). A processor
 * is found by its model number in the name the host reports ({@code model name} of
 * {@code /proc/cpuinfo}, e.g. "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz"); any other gets the default.
 */
final class ProcessorPower {
    /** Model → watts per core; docs/footprint.md lists them too. */
    static final Map<String, Double> WATTS_PER_CORE = table(
            "Xeon E5-2660 v3", 10.5, "Xeon E5-2670 v2", 11.5, "Xeon E5-2670", 14.4, "Xeon E5-2680 v3", 10.0,
            "Xeon E5-2683 v4", 7.5, "Xeon E5-2690 v3", 11.3, "Xeon E5-2695 v4", 6.7, "Xeon E5-2697 v4", 8.1,
            "Xeon E5-2699 v4", 6.6, "Xeon Gold 6142", 9.4, "Xeon Gold 6148", 7.5, "Xeon Gold 6248", 7.5,
            "Xeon Gold 6252", 6.3, "Xeon Platinum 9282", 7.1, "Xeon X5660", 15.8, "EPYC 7251", 15.0, "EPYC 7552", 4.2,
            "Ryzen Threadripper 3990X", 4.4, "Ryzen 9 3950X", 6.6, "Ryzen 7 3700X", 8.1, "Ryzen 5 3600", 10.8,
            "Core i5-10400", 10.8, "Core i7-10700", 8.1, "Core i7-8700K", 15.8, "Core i7-6700K", 23.8,
            "Core i9-9900K", 11.9, "Core i9-12900K", 7.8);
    private static final Pattern NOISE = Pattern.compile("\\((r|tm)\\)|\\b(cpu|processor)\\b|@.*$");
    /** The table's models, longest first. */
    private static final List<Model> MODELS = WATTS_PER_CORE.entrySet().stream()
            .sorted(Comparator.comparingInt((Map.Entry<String, Double> e) -> e.getKey().length()).reversed())
            .map(e -> new Model(Pattern.compile("(^|[^a-z0-9-])" + Pattern.quote(e.getKey().toLowerCase(Locale.ROOT))
                    + "($|[^a-z0-9-])"), e.getValue()))
            .toList();
    /** Names already looked up, and what was found. */
    private static final Map<String, Optional<Double>> FOUND = new ConcurrentHashMap<>();

    private final double defaultWatts;

    ProcessorPower(double defaultWatts) {
        this.defaultWatts = defaultWatts;
    }

    /** Watts per core of the processor a host named; the default for null or one the table does not know. */
    double wattsPerCore(String cpuModel) {
        return known(cpuModel).orElse(defaultWatts);
    }

    /** Watts per core of the processor, if the table knows it. */
    static Optional<Double> known(String cpuModel) {
        if (cpuModel == null || cpuModel.isBlank()) {
            return Optional.empty();
        }
        // Hosts name few processors, and every footprint asks for them: find each name once (a bound for
        // names no one controls: pilots report them).
        Optional<Double> found = FOUND.get(cpuModel);
        if (found == null) {
            found = look(cpuModel);
            if (FOUND.size() < 1_000) {
                FOUND.put(cpuModel, found);
            }
        }
        return found;
    }

    private static Optional<Double> look(String cpuModel) {
        String name = NOISE.matcher(cpuModel.toLowerCase(Locale.ROOT)).replaceAll(" ").replaceAll("\\s+", " ").strip();
        return MODELS.stream().filter(model -> model.pattern().matcher(name).find()).map(Model::watts).findFirst();
    }

    /** A model of the table as a pattern of whole words, "Xeon E5-2670 v2" not an "E5-2670", nor "3600X" a "3600". */
    private record Model(Pattern pattern, double watts) {
    }

    private static Map<String, Double> table(Object... modelsAndWatts) {
        var table = new LinkedHashMap<String, Double>();
        for (int i = 0; i < modelsAndWatts.length; i += 2) {
            table.put((String) modelsAndWatts[i], (Double) modelsAndWatts[i + 1]);
        }
        return Map.copyOf(table);
    }
}
