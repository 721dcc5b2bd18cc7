package org.escadrille.apps.pi;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.escadrille.apps.checkpoint.Checkpoints;

/**
 * A Monte-Carlo estimate of π: draws points uniformly in the unit square and counts those inside the
 * quarter disc. An ordinary command-line program: it knows nothing of Escadrille.
 *
 * <p>It prints {@code events: N} as it goes (at most a hundred times a second) and, on SIGTERM, stops at
 * once and writes the partial result of the events it did: the contract a dynamically split
 * Monte-Carlo tool honours. With {@code --checkpoint-dir D} it also writes, every
 * {@code --checkpoint-seconds} (default 2), the result of the events done so far as
 * {@code D/<events>/<output>}: exactly what a run of that many events with the same seed writes, so
 * that the events survive a crash and a replay gives the same bits.
 *
 * <p>With {@code --stop-file F}, the appearance of F asks for a stop as SIGTERM does, only sooner.
 *
 * <pre>pi --events N [--seed S] [--output FILE] [--checkpoint-dir DIR [--checkpoint-seconds S]] [--stop-file F]</pre>
 */
public final class Pi {
    /**
     * Points drawn between two looks at the clock and at a stop request: about a millisecond's worth, so
     * that a stop ends the run within about that (what a stopped task simulates beyond its share).
     */
    private static final long CHUNK = 1 << 18;
    /**
     * A progress line every 10 ms: the pilot stops a task at its share of the total from these lines,
     * and at a few hundred million points a second, one line in ten per second left tens of millions
     * of points unseen between two.
     */
    private static final long PROGRESS_EVERY_NANOS = 10_000_000L;

    private volatile boolean stopRequested;
    /** A file whose appearance asks for a stop, looked for between chunks; null for none. */
    private Path stopFile;

    /** The counts of one run: {@code inside} of {@code total} points fell in the quarter disc. */
    public record Estimate(long inside, long total) {
        public double value() {
            return total == 0 ? Double.NaN : 4.0 * inside / total;
        }

        /** The result file: no point drawn (a task stopped before its first) has no estimate, which JSON writes null, not NaN. */
        String toJson() {
            String estimate = total == 0 ? "null" : String.format(Locale.ROOT, "%.10f", value());
            return String.format(Locale.ROOT, "{\"inside\": %d, \"total\": %d, \"estimate\": %s}%n", inside, total, estimate);
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pi: " + e.getMessage());
            System.err.println("usage: pi --events N [--seed S] [--output FILE] [--checkpoint-dir DIR [--checkpoint-seconds S]] [--stop-file FILE]");
            System.exit(2);
            return;
        }
        var pi = new Pi();
        pi.stopOn(arguments.stopFile());
        var finished = new CountDownLatch(1);
        // SIGTERM runs shutdown hooks: ask the loop to stop and wait until the partial result is written.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pi.stopRequested = true;
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            Consumer<Estimate> checkpoint = arguments.checkpointDir() == null ? e -> { }
                    : e -> writeCheckpoint(arguments.checkpointDir(), arguments.output(), e);
            Estimate estimate = pi.simulate(arguments.events(), arguments.seed(), System.out, checkpoint,
                    arguments.checkpointSeconds() * 1_000_000_000L);
            Files.writeString(arguments.output(), estimate.toJson(), StandardCharsets.UTF_8);
            System.out.printf(Locale.ROOT, "events: %d%npi ~ %.10f (%d of %d inside)%s%n", estimate.total(),
                    estimate.value(), estimate.inside(), estimate.total(), pi.stopRequested ? ", stopped early" : "");
            System.out.flush();
        } finally {
            finished.countDown();
        }
    }

    /** Draws up to {@code events} points from {@code seed}, printing progress lines, until done or stopped. */
    Estimate simulate(long events, long seed, PrintStream progress) {
        return simulate(events, seed, progress, e -> { }, Long.MAX_VALUE);
    }

    /** Like {@link #simulate(long, long, PrintStream)}, handing the counts so far to {@code checkpoint} every period. */
    Estimate simulate(long events, long seed, PrintStream progress, Consumer<Estimate> checkpoint, long checkpointNanos) {
        var random = new SplittableRandom(seed);
        long inside = 0;
        long done = 0;
        long lastReport = System.nanoTime();
        long lastCheckpoint = lastReport;
        while (done < events && !stopAsked()) {
            long n = Math.min(CHUNK, events - done);
            for (long i = 0; i < n; i++) {
                double x = random.nextDouble();
                double y = random.nextDouble();
                if (x * x + y * y <= 1.0) {
                    inside++;
                }
            }
            done += n;
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                progress.println("events: " + done);
                progress.flush();
                lastReport = now;
            }
            if (now - lastCheckpoint >= checkpointNanos && done < events && !stopRequested) {
                checkpoint.accept(new Estimate(inside, done));
                lastCheckpoint = now;
            }
        }
        return new Estimate(inside, done);
    }

    /**
     * Whether a stop was asked: SIGTERM, or the stop file. The file is looked for by the drawing thread
     * itself, so a stop through it takes effect within a chunk even on a host so busy that the JVM's
     * signal and shutdown-hook threads wait long for a CPU while this one draws on.
     */
    private boolean stopAsked() {
        if (!stopRequested && stopFile != null && Files.exists(stopFile)) {
            stopRequested = true;
        }
        return stopRequested;
    }

    static void writeCheckpoint(Path dir, Path output, Estimate estimate) {
        Checkpoints.write(dir, estimate.total(), Map.of(output, estimate.toJson()));
    }

    /** Looks for {@code file} (null: none) between chunks, and stops when it appears. */
    void stopOn(Path file) {
        stopFile = file;
    }

    void requestStop() {
        stopRequested = true;
    }

    record Arguments(long events, long seed, Path output, Path checkpointDir, long checkpointSeconds, Path stopFile) {
        static Arguments parse(String[] args) {
            long events = -1;
            long seed = 42;
            Path output = Path.of("pi.json");
            Path checkpointDir = null;
            Path stopFile = null;
            long checkpointSeconds = 2;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--events" -> events = parseLong(name, value);
                    case "--seed" -> seed = parseLong(name, value);
                    case "--output" -> output = Path.of(value);
                    case "--checkpoint-dir" -> checkpointDir = Path.of(value);
                    case "--checkpoint-seconds" -> checkpointSeconds = parseLong(name, value);
                    case "--stop-file" -> stopFile = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (events < 1) {
                throw new IllegalArgumentException("--events must be given, at least 1");
            }
            if (checkpointSeconds < 1) {
                throw new IllegalArgumentException("--checkpoint-seconds must be at least 1");
            }
            return new Arguments(events, seed, output, checkpointDir, checkpointSeconds, stopFile);
        }

        private static long parseLong(String name, String value) {
            try {
                // Accept 1e8 as well as 100000000: people write event counts both ways.
                if (value.matches("[0-9.]+[eE][0-9]+")) {
                    return (long) Double.parseDouble(value);
                }
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, got " + value);
            }
        }
    }
}
