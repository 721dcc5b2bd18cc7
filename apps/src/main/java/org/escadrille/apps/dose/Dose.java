package org.escadrille.apps.dose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.escadrille.apps.checkpoint.Checkpoints;

/**
 * {@code dose}: the depth-dose curve of a photon beam in water ({@link DepthDose}). Writes the energy
 * deposited per depth bin as CSV and a JSON summary; prints {@code events: N} as it goes and, on
 * SIGTERM, stops and writes the partial result of the photons it did (the Monte-Carlo contract). With
 * {@code --checkpoint-dir D} it also writes both files for the photons done so far into
 * {@code D/<photons>/} every {@code --checkpoint-seconds} (default 2): what a run of that many photons
 * with the same seed writes.
 *
 * <pre>dose --events N [--seed S] [--energy MEV] [--depth CM] [--bins N] [--output FILE] [--summary FILE]
 *      [--checkpoint-dir DIR [--checkpoint-seconds S]]</pre>
 */
public final class Dose {
    /** A progress line every 10 ms: the finer the progress, the closer the pilot stops a task to its share. */
    private static final long PROGRESS_EVERY_NANOS = 10_000_000L;
    private volatile boolean stopRequested;

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("dose: " + e.getMessage());
            System.err.println("usage: dose --events N [--seed S] [--energy MEV] [--depth CM] [--bins N] [--output FILE] "
                    + "[--summary FILE] [--checkpoint-dir DIR [--checkpoint-seconds S]]");
            System.exit(2);
            return;
        }
        var dose = new Dose();
        var finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dose.stopRequested = true;
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            var simulation = new DepthDose(options.energyMev(), options.depthCm(), options.bins(), options.seed());
            Runnable checkpoint = options.checkpointDir() == null ? () -> { }
                    : () -> Checkpoints.write(options.checkpointDir(), simulation.photons(),
                            Map.of(options.output(), csv(simulation), options.summary(), summary(simulation)));
            dose.run(simulation, options.events(), checkpoint, options.checkpointSeconds() * 1_000_000_000L);
            Files.writeString(options.output(), csv(simulation), StandardCharsets.UTF_8);
            Files.writeString(options.summary(), summary(simulation), StandardCharsets.UTF_8);
            System.out.println("events: " + simulation.photons());
            System.out.printf(Locale.ROOT, "%d photons of %.3f MeV through %.1f cm of water%s%n", simulation.photons(),
                    options.energyMev(), options.depthCm(), dose.stopRequested ? ", stopped early" : "");
            System.out.flush();
        } finally {
            finished.countDown();
        }
    }

    void run(DepthDose simulation, long events) {
        run(simulation, events, () -> { }, Long.MAX_VALUE);
    }

    /** Transports photons until {@code events} or a stop; calls {@code checkpoint} every period, between photons. */
    void run(DepthDose simulation, long events, Runnable checkpoint, long checkpointNanos) {
        long last = System.nanoTime();
        long lastCheckpoint = last;
        while (simulation.photons() < events && !stopRequested) {
            long chunk = Math.min(10_000, events - simulation.photons());
            for (long i = 0; i < chunk; i++) {
                simulation.transportOne();
            }
            long now = System.nanoTime();
            if (now - last >= PROGRESS_EVERY_NANOS) {
                System.out.println("events: " + simulation.photons());
                System.out.flush();
                last = now;
            }
            if (now - lastCheckpoint >= checkpointNanos && simulation.photons() < events && !stopRequested) {
                checkpoint.run();
                lastCheckpoint = now;
            }
        }
    }

    static String csv(DepthDose simulation) {
        var out = new StringBuilder("depth_cm,edep_mev\n");
        double[] edep = simulation.energyDeposited();
        double width = simulation.binWidthCm();
        for (int i = 0; i < edep.length; i++) {
            out.append(String.format(Locale.ROOT, "%.4f,%.6f%n", (i + 0.5) * width, edep[i]));
        }
        return out.toString();
    }

    static String summary(DepthDose simulation) {
        double total = 0;
        for (double e : simulation.energyDeposited()) {
            total += e;
        }
        // Only quantities that add up across tasks: partial summaries are summed field by field.
        return String.format(Locale.ROOT, "{\"events\": %d, \"edep_mev\": %.6f}%n", simulation.photons(), total);
    }

    record Options(long events, long seed, double energyMev, double depthCm, int bins, Path output, Path summary,
                   Path checkpointDir, long checkpointSeconds) {
        static Options parse(String[] args) {
            long events = -1;
            long seed = 1;
            double energy = 1.25;
            double depth = 30;
            int bins = 60;
            Path output = Path.of("depth-dose.csv");
            Path summary = Path.of("summary.json");
            Path checkpointDir = null;
            long checkpointSeconds = 2;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                try {
                    switch (args[i]) {
                        case "--events" -> events = (long) Double.parseDouble(value);
                        case "--seed" -> seed = Long.parseLong(value);
                        case "--energy" -> energy = Double.parseDouble(value);
                        case "--depth" -> depth = Double.parseDouble(value);
                        case "--bins" -> bins = Integer.parseInt(value);
                        case "--output" -> output = Path.of(value);
                        case "--summary" -> summary = Path.of(value);
                        case "--checkpoint-dir" -> checkpointDir = Path.of(value);
                        case "--checkpoint-seconds" -> checkpointSeconds = Long.parseLong(value);
                        default -> throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(args[i] + " must be a number, got " + value);
                }
            }
            if (events < 1) {
                throw new IllegalArgumentException("--events must be given, at least 1");
            }
            if (energy < 0.01 || energy > 20) {
                throw new IllegalArgumentException("--energy must be between 0.01 and 20 MeV");
            }
            if (depth <= 0 || bins < 1 || bins > 10_000) {
                throw new IllegalArgumentException("--depth must be positive and --bins between 1 and 10000");
            }
            if (checkpointSeconds < 1) {
                throw new IllegalArgumentException("--checkpoint-seconds must be at least 1");
            }
            return new Options(events, seed, energy, depth, bins, output, summary, checkpointDir, checkpointSeconds);
        }
    }
}
