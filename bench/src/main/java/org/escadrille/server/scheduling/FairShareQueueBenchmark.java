package org.escadrille.server.scheduling;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.Account.Role;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matcher alone ({@code bench/run matcher}): {@link FairShareQueue#take} handing out tasks of many
 * users with mixed priorities, some of them avoiding a pilot, some needing a pilot tag that half the
 * pilots have (matched as {@code Scheduler} does), to pilots asking for 1 or 8 slots. Every
 * task taken is replaced by a new one (the queue stays full) and the oldest running task ends, so the
 * users' running counts, which fair share compares, keep moving. Scores are assignments per second
 * on one thread. Lives in the scheduler's package because the queue is package-private; the lease's
 * database write ({@code TaskRepository.markLeased}) is not part of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class FairShareQueueBenchmark {
    /** Pilots taking turns; a task avoiding one of them (a failure or a straggler's replica) may go to any other. */
    private static final int PILOTS = 64;

    /** Users with queued work; a pick walks them in fair-share order to the first with a task for the pilot. */
    @Param({"100", "1000"})
    public int users;

    @Param({"1000"})
    public int tasksPerUser;

    /** Percentage of tasks that avoid one pilot for the whole run. */
    @Param({"10"})
    public int avoidingPercent;

    /** Percentage of tasks that need the pilot tag {@code gpu}, which the even-numbered pilots have. */
    @Param({"10"})
    public int taggedPercent;

    /** Tasks running at once across all pilots: each new assignment ends the oldest of them. */
    @Param({"5000"})
    public int running;

    private FairShareQueue queue;
    private TaskDefinition[][] templates;
    private String[] pilotIds;
    private Set<String>[] pilotTags;
    private final ArrayDeque<String> runningUsers = new ArrayDeque<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private long now;
    private int pilot;
    private int next;

    @Setup
    public void fill() {
        queue = new FairShareQueue(0);
        pilotIds = new String[PILOTS];
        @SuppressWarnings("unchecked")
        Set<String>[] tags = new Set[PILOTS];
        pilotTags = tags;
        for (int p = 0; p < PILOTS; p++) {
            pilotIds[p] = "pilot-" + p;
            pilotTags[p] = p % 2 == 0 ? Set.of("gpu") : Set.of();
        }
        var plain = new TaskSpec("true", List.of(), List.of(), List.of(), null, null, 0, null, null, null);
        var tagged = new TaskSpec("true", List.of(), List.of(), List.of(), null, null, 0, null, null, List.of("gpu"));
        templates = new TaskDefinition[users][64];
        for (int u = 0; u < users; u++) {
            var owner = new Account("a" + u, "user" + u, Role.USER);
            for (int t = 0; t < templates[u].length; t++) {
                // Priorities 0..4, skewed towards 0 as real submissions are.
                int priority = Math.max(0, random.nextInt(-4, 5));
                var spec = random.nextInt(100) < taggedPercent ? tagged : plain;
                templates[u][t] = new TaskDefinition("t" + u + "-" + t, "e" + u, owner, t, "i=" + t, "out", spec, priority);
            }
        }
        now = System.currentTimeMillis();
        for (int u = 0; u < users; u++) {
            for (int t = 0; t < tasksPerUser; t++) {
                queue.add(newTask(u));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public int takeOne() {
        return takeAndReplace(1);
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public int takeEight() {
        return takeAndReplace(8);
    }

    private int takeAndReplace(int slots) {
        int p = pilot++ & (PILOTS - 1);
        var taken = queue.take(slots, now, pilotIds[p], pilotTags[p], false);
        for (QueuedTask task : taken) {
            String user = FairShareQueue.user(task);
            queue.add(newTask(Integer.parseInt(user, 4, user.length(), 10)));
            runningUsers.add(user);
            if (runningUsers.size() > running) {
                queue.running(runningUsers.poll(), -1);
            }
        }
        return taken.size();
    }

    private QueuedTask newTask(int user) {
        TaskDefinition task = templates[user][next++ & 63];
        if (random.nextInt(100) < avoidingPercent) {
            return new QueuedTask(task, 1, 0, 0, 0, 0).replicaAvoiding(pilotIds[random.nextInt(PILOTS)], now);
        }
        return new QueuedTask(task, 0, 0, 0, 0, 0);
    }
}
