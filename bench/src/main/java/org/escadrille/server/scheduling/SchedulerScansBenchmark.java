package org.escadrille.server.scheduling;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.Account.Role;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two scans the scheduler makes under its lock ({@code bench/run scans}), each beside the walk it replaced,
 * run on the same data in the same fork: the straggler scan over {@code running} attempts of one execution
 * (every two seconds), and the lease hand-off's question of when the next held-back task may go, over a queue
 * of {@code queued} tasks of which 10 are in backoff (after every pass that leaves requests waiting). Scores
 * are microseconds per scan or question on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class SchedulerScansBenchmark {
    private static final int SAMPLES = 1_000;
    private static final long FLOOR_MS = 60_000;

    /** Attempts running: their time so far, under the 60 s floor as most are (20 s tasks). */
    @Param({"1000", "10000"})
    public int running;

    @Param({"150000"})
    public int queued;

    private Stragglers stragglers;
    private final Deque<Long> samples = new ArrayDeque<>();
    private long[] runningMs;
    private FairShareQueue queue;
    private long now;
    private long next;

    @Setup
    public void fill() {
        var random = new SplittableRandom(18);
        stragglers = new Stragglers(3.0, FLOOR_MS);
        for (int i = 0; i < SAMPLES; i++) {
            finished(19_000 + random.nextInt(2_000));
        }
        runningMs = random.longs(running, 0, 20_000).toArray();
        queue = new FairShareQueue(0);
        var owner = new Account("a", "user", Role.USER);
        var spec = new TaskSpec("true", List.of(), List.of(), List.of(), null, null, 0, null, null, null);
        for (int i = 0; i < queued; i++) {
            queue.add(new QueuedTask(new TaskDefinition("t" + i, "e", owner, i, "i=" + i, "out", spec), 0, 0, 0, 0, 0));
        }
        now = 1_000;
        for (int i = 0; i < 10; i++) {
            queue.add(new QueuedTask(new TaskDefinition("b" + i, "e", owner, i, "b=" + i, "out", spec), 1, 1, 0, 0, 5_000 + i));
        }
    }

    /** One completion came in since the last scan, as between two scans of a busy execution. */
    private void finished(long durationMs) {
        stragglers.finished("e", durationMs);
        samples.addLast(durationMs);
        if (samples.size() > SAMPLES) {
            samples.removeFirst();
        }
    }

    @Benchmark
    public int stragglerScan() {
        finished(20_000 + (next++ & 1023));
        int found = 0;
        for (long ms : runningMs) {
            if (stragglers.isStraggler("e", ms)) {
                found++;
            }
        }
        return found;
    }

    /** The rule as it was: the execution's last 1,000 durations sorted for each running attempt, floor or not. */
    @Benchmark
    public int stragglerScanSortingForEachAttempt() {
        finished(20_000 + (next++ & 1023));
        int found = 0;
        for (long ms : runningMs) {
            long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
            long median = sorted[sorted.length / 2];
            if (ms > Math.max(FLOOR_MS, (long) (3.0 * median))) {
                found++;
            }
        }
        return found;
    }

    @Benchmark
    public long nextBackoffEnd() {
        return queue.nextBackoffEnd(now);
    }

    /** The question as it was answered: a walk of the whole queue. */
    @Benchmark
    public long nextBackoffEndWalkingTheQueue() {
        return queue.stream().flatMapToLong(t -> t.avoidPilot() == null ? LongStream.of(t.notBeforeMs())
                        : LongStream.of(t.notBeforeMs(), Math.min(t.avoidUntilMs(), now + 60_000)))
                .filter(t -> t > now).map(t -> t - now).min().orElse(-1);
    }
}
