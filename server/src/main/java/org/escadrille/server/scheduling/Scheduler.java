package org.escadrille.server.scheduling;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.CompletionReceipt;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The queue of tasks and the leases on them, held in memory and written through to the database: what
 * the rest of the server and the pilot protocol call. Its parts share one {@link SchedulerState} (one
 * lock, single writer): {@link Dispatch} (the queue and the leases, recovery at start), {@link Heartbeats}
 * (lease renewal and orders), {@link Completions}, {@link LostLeases} (expiry, dead pilots) and
 * {@link Replicas} (stragglers).
 */
@Service
public class Scheduler implements SmartInitializingSingleton, DisposableBean {
    /** How often pilots running Monte-Carlo tasks heartbeat: a stop order reaches them all within it. */
    public static final long PROGRESS_HEARTBEAT_MS = 250;

    private final SchedulerState state;
    private final Dispatch dispatch;
    private final Heartbeats heartbeats;
    private final Replicas replicas;
    private final Completions completions;
    private final LostLeases lost;
    private final TaskRepository tasks;
    private final SchedulerMetrics metrics;
    private final HeartbeatPace pace;
    private final Clock clock;

    Scheduler(TaskRepository tasks, AttemptEnding ending, TaskLifecycleListener listener, SchedulerMetrics metrics,
              PilotRegistry pilots, EscadrilleProperties properties, Clock clock) {
        var settings = properties.scheduling();
        this.tasks = tasks;
        this.metrics = metrics;
        this.clock = clock;
        this.state = new SchedulerState(settings.userQuota());
        var longPolls = properties.longPolls();
        long tokenLifetimeMs = properties.pilots().sessionTokenLifetime().toMillis();
        long heartbeatMs = settings.heartbeat().toMillis();
        // A heartbeat at least every third of a token's lifetime: each brings the pilot its successor in time.
        long maxIntervalMs = Math.max(heartbeatMs, Math.min(settings.heartbeatMax().toMillis(), tokenLifetimeMs / 3));
        this.pace = new HeartbeatPace(heartbeatMs, settings.lease().toMillis(), maxIntervalMs, settings.heartbeatBudget());
        this.dispatch = new Dispatch(state, tasks, metrics, settings, pace, longPolls.maxParked(),
                () -> comeBackSpreadMs(pilots.recentlySeen(tokenLifetimeMs), longPolls.comeBackRate(), tokenLifetimeMs), clock);
        this.heartbeats = new Heartbeats(state, tasks, ending, listener, pace, clock);
        this.replicas = new Replicas(state, new Stragglers(settings.stragglerFactor(),
                settings.stragglerMinimum().toMillis()), clock);
        this.completions = new Completions(state, tasks, ending, replicas, dispatch, pilots, metrics);
        this.lost = new LostLeases(state, ending, replicas, dispatch, pilots::lastShedMs, pace::leaseMs, clock);
        metrics.watch(dispatch::leasedCount, () -> pilots.liveSlots(pace.leaseMs()), dispatch::waitingCount,
                () -> pace.intervalMs() / 1_000.0);
    }

    /**
     * Over how long the pilots told to come back later should come back, so that they return at about
     * {@code comeBackRate} a second however many they are: as many seconds as there are pilots (heard from
     * within a token's lifetime: every pilot calls that often, or its token dies) per {@code comeBackRate},
     * but at most a third of a token's lifetime, so that one drawn up to one and a half times that finds its
     * token alive and gets a fresh one with its next lease reply. 50,000 idle pilots told to come back after
     * about their 20 s wait came back 2,400 times a second, each on a new connection (issue 18).
     */
    static long comeBackSpreadMs(int pilots, int comeBackRate, long tokenLifetimeMs) {
        return Math.min(tokenLifetimeMs / 3, pilots * 1_000L / comeBackRate);
    }

    /** Persists new tasks and queues them. */
    public void submit(List<TaskDefinition> newTasks) {
        dispatch.submit(newTasks);
    }

    /** Records tasks that do not run: they succeeded in an earlier execution, whose outputs they reuse. */
    public void recordReused(List<ReusedTask> reused) {
        if (!reused.isEmpty()) {
            tasks.insertReused(reused, clock.millis());
        }
    }

    /**
     * Leases to a pilot the tasks that fit its free slots and memory (and up to {@code prefetch} plain
     * ones more), among those whose required tags it has, waiting up to the long-poll limit for some. The
     * answer is complete at once when there is work (or no wait is asked for); otherwise the request waits
     * without a thread, and the answer completes when work is handed to it or, empty, at the end of its wait.
     * When {@code escadrille.long-polls.max-parked} requests wait already, the answer is empty at once and
     * says when to ask again.
     */
    public CompletableFuture<LeaseGrant> lease(String pilotId, String host, Set<String> pilotTags,
                                                         LeaseRequest request) {
        return dispatch.lease(pilotId, host, pilotTags, request);
    }

    /** Lease requests waiting for work now (pilots' long polls). */
    public int waitingLeases() {
        return dispatch.waitingCount();
    }

    /** Answers the lease requests still waiting (empty) as the server stops. */
    @Override
    public void destroy() {
        dispatch.close();
        completions.close();
        heartbeats.close();
    }

    /** Renews the leases of a pilot's attempts and answers the orders for them. */
    public HeartbeatReply heartbeat(String pilotId, Heartbeat heartbeat) {
        return heartbeats.heartbeat(pilotId, heartbeat);
    }

    /** What these attempts use now, for those running whose pilot relays it (attempt id to its usage). */
    public Map<String, LiveUsage> liveUsage(Collection<String> attemptIds) {
        return heartbeats.liveUsage(attemptIds);
    }

    /**
     * Ends an attempt as its pilot reports. Idempotent: a repeated completion gets the same receipt; a
     * completion of an attempt that is no longer the pilot's (its lease expired) is refused, so that no
     * task's result is counted twice.
     */
    public CompletionReceipt complete(String pilotId, String attemptId, Completion completion) {
        return completeAll(pilotId, List.of(new CompletionBatch.Item(attemptId, completion))).get(0);
    }

    /**
     * Ends several attempts of one pilot, as {@link #complete} does each; their database writes share
     * one transaction (one commit for a batch of tiny tasks). One receipt per item, in order.
     */
    public List<CompletionReceipt> completeAll(String pilotId, List<CompletionBatch.Item> items) {
        return completions.completeAll(pilotId, items);
    }

    /** Whether a pilot was found to be a black hole (it should drain). */
    public boolean isBlackHole(String pilotId) {
        return state.read(() -> state.blackHoles.isHole(pilotId));
    }

    /**
     * Replicates stragglers: an attempt running far longer than its execution's finished ones gets a
     * second attempt on another pilot; the first to finish wins and the other is cancelled.
     */
    void replicateStragglers() {
        replicas.replicateStragglers();
    }

    /** Whether this attempt is leased to this pilot now (for its input, output and log calls). */
    boolean holds(String pilotId, String attemptId) {
        return state.read(() -> state.isLeasedTo(attemptId, pilotId));
    }

    Lease leaseOf(String attemptId) {
        return state.read(() -> state.leases.get(attemptId));
    }

    /**
     * Whether the attempt is leased to this pilot, or was (a completion may arrive after its lease
     * expired: it gets a receipt that says it is discarded). Any other pilot's attempt is none of its business.
     */
    boolean isOrWasLeasedTo(String attemptId, String pilotId) {
        Lease lease = leaseOf(attemptId);
        return lease != null ? lease.pilotId.equals(pilotId) : tasks.attemptOf(attemptId, pilotId);
    }

    /** Kills an execution: its queued tasks are dropped, its running ones ordered to cancel. */
    public void cancelExecution(String executionId) {
        dispatch.wake(heartbeats.cancelExecution(executionId));
    }

    /**
     * Tells every running task of an execution to stop early and drops its queued ones: a Monte-Carlo
     * total is reached. The stopped tasks upload their partial results and end as STOPPED.
     */
    public void stopExecution(String executionId) {
        dispatch.wake(heartbeats.stopExecution(executionId));
    }

    /**
     * Sets the stop targets of an execution's running Monte-Carlo tasks (task id to events), replacing
     * the older ones (none: forgets them): each pilot learns its tasks' in its next heartbeat reply, and
     * stops a task itself when it gets there.
     */
    public void stopTargets(String executionId, Map<String, Long> targets) {
        heartbeats.stopTargets(executionId, targets);
    }

    /** Tasks of an execution that are queued or leased now. */
    public int liveTasks(String executionId) {
        return dispatch.liveTasks(executionId);
    }

    /** A pilot is known to be dead (its process ended): its leases end now instead of at their deadline. */
    public void pilotGone(String pilotId, String why) {
        lost.pilotGone(pilotId, why);
    }

    /** Returns the tasks of leases that no heartbeat renewed in time to the queue. */
    void expireLeases() {
        lost.expireLeases();
    }

    /** Rebuilds the queue and the leases from the database, before the first pilot call can arrive. */
    @Override
    public void afterSingletonsInstantiated() {
        dispatch.recover();
    }

    /** The heartbeat interval pilots running tasks are told now ({@link HeartbeatPace}). */
    public long heartbeatIntervalMs() {
        return pace.intervalMs();
    }

    /** How long a lease renewed now lives: the configured one, longer while the heartbeats are paced. */
    public long leaseMs() {
        return pace.leaseMs();
    }

    /** Paces the heartbeats by the pilots that run tasks now (each sends them). */
    @Scheduled(fixedDelay = 1_000)
    void paceHeartbeats() {
        pace.update(state.read(state::busyPilots), clock.millis());
    }

    /** Refreshes the per-user queue depth gauge (Prometheus scrapes are much rarer than this). */
    @Scheduled(fixedDelay = 5_000)
    void publishQueueDepth() {
        metrics.queueDepth(dispatch.queuedByUser());
    }

    /** Queued tasks, for the pilot factory and the metrics. */
    public int queuedCount() {
        return dispatch.queuedCount();
    }

    /** How many of the user's tasks hold a slot now, against {@code escadrille.scheduling.user-quota}. */
    public int runningSlots(String username) {
        return state.read(() -> state.queue.runningOf(username));
    }

    public int leasedCount() {
        return dispatch.leasedCount();
    }

    /**
     * Queued tasks counted by what they need of a pilot (tags, cores, memory), read from memory: the
     * pilot factory sizes its sites by it every round. Tasks in backoff count too.
     */
    public Map<TaskNeeds, Integer> queuedByNeeds() {
        return dispatch.queuedByNeeds();
    }
}
