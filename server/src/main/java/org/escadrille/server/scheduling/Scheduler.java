package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.CompletionReceipt;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.Order;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Service;

/**
 * The queue of tasks and the leases on them, held in memory and written through to the database.
 * One lock owns all of it (single writer); long-polling pilots wait on its condition. A lease that
 * no heartbeat renews expires, and its task goes back to the queue with the attempt recorded.
 */
@Service
public class Scheduler implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    /** How often pilots running Monte-Carlo tasks heartbeat: a stop order reaches them all within it. */
    public static final long PROGRESS_HEARTBEAT_MS = 250;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workQueued = lock.newCondition();
    private final FairShareQueue queue;
    private final Map<String, Lease> leases = new LinkedHashMap<>();
    private final Map<String, Order.Kind> pendingOrders = new HashMap<>();
    /** Monte-Carlo tasks' stop targets (execution id to task id to events), sent with their pilots' heartbeat replies. */
    private final Map<String, Map<String, Long>> stopTargets = new HashMap<>();
    /** Tasks with a replica running (stragglers): task id to the attempt that won, "" until one has. */
    private final Map<String, String> replicated = new HashMap<>();
    private final BlackHoles blackHoles = new BlackHoles();
    private final Stragglers stragglers;
    private final PilotRegistry pilots;
    /** Pilots known to be gone: a long poll of theirs still waiting on the server must not take work. */
    private final Set<String> gonePilots = new java.util.HashSet<>();

    private final TaskRepository tasks;
    private final AttemptEnding ending;
    private final TaskLifecycleListener listener;
    private final SchedulerMetrics metrics;
    private final EscadrilleProperties.Scheduling settings;

    Scheduler(TaskRepository tasks, AttemptEnding ending, TaskLifecycleListener listener, SchedulerMetrics metrics,
              PilotRegistry pilots, EscadrilleProperties properties) {
        this.tasks = tasks;
        this.ending = ending;
        this.listener = listener;
        this.metrics = metrics;
        this.pilots = pilots;
        this.queue = new FairShareQueue(properties.scheduling().userQuota());
        this.stragglers = new Stragglers(properties.scheduling().stragglerFactor(),
                properties.scheduling().stragglerMinimum().toMillis());
        metrics.watch(this::leasedCount, () -> pilots.liveSlots(properties.scheduling().lease().toMillis()));
        this.settings = properties.scheduling();
    }

    /** Persists new tasks and queues them. */
    public void submit(List<TaskDefinition> newTasks) {
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            tasks.insert(newTasks, now);
            for (TaskDefinition task : newTasks) {
                queue.add(new QueuedTask(task, 0, 0, 0, 0, 0));
            }
            workQueued.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Leases up to {@code request.freeSlots()} tasks (and {@code prefetch} more) to a pilot, among those
     * whose required tags it has, waiting up to the long-poll limit for some.
     */
    public List<TaskAssignment> lease(String pilotId, String host, Set<String> pilotTags, LeaseRequest request)
            throws InterruptedException {
        long waitMs = Math.min(request.waitMs(), settings.longPoll().toMillis());
        long asked = System.nanoTime();
        long deadline = asked + TimeUnit.MILLISECONDS.toNanos(waitMs);
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.currentTimeMillis();
                long tried = System.nanoTime();
                var granted = take(pilotId, host, pilotTags, request.freeSlots(), request.prefetch(), now);
                if (!granted.isEmpty()) {
                    // Latency from when work was there for this request: its arrival, or the wake-up that found work.
                    metrics.leaseAnswered(System.nanoTime() - Math.max(asked, tried));
                    metrics.dispatched(granted.size());
                    return granted;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return List.of();
                }
                workQueued.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(nextBackoffEnd(now))));
            }
        } finally {
            lock.unlock();
        }
    }

    private List<TaskAssignment> take(String pilotId, String host, Set<String> pilotTags, int slots, int prefetch,
                                      long now) {
        var granted = new ArrayList<TaskAssignment>();
        if (gonePilots.contains(pilotId) || blackHoles.isHole(pilotId)) {
            return granted;
        }
        var taken = new ArrayList<>(queue.take(slots, now, pilotId, pilotTags, false));
        if (prefetch > 0) {
            // A Monte-Carlo task must start the moment it is made: it is never queued behind busy slots.
            taken.addAll(queue.take(prefetch, now, pilotId, pilotTags, true));
        }
        if (taken.isEmpty()) {
            return granted;
        }
        var attempts = new ArrayList<TaskRepository.Attempt>(taken.size());
        for (QueuedTask queued : taken) {
            attempts.add(new TaskRepository.Attempt(Ids.newId(), pilotId, host, now));
        }
        // One transaction for the whole grant: a batch of leases costs one commit, not two per task.
        tasks.markLeased(taken.stream().map(q -> q.task().id()).toList(), attempts);
        for (int i = 0; i < taken.size(); i++) {
            QueuedTask queued = taken.get(i);
            var attempt = attempts.get(i);
            leases.put(attempt.id(), new Lease(attempt.id(), queued.leased(), pilotId, host, now + settings.lease().toMillis()));
            Long stopAt = stopTargets.getOrDefault(queued.task().executionId(), Map.of()).get(queued.task().id());
            granted.add(AssignmentFactory.assignment(attempt.id(), queued.task(), stopAt == null ? 0 : stopAt));
        }
        if (!granted.isEmpty()) {
            log.debug("leased {} task(s) to pilot {}", granted.size(), pilotId);
        }
        return granted;
    }

    private long nextBackoffEnd(long now) {
        long next = queue.nextBackoffEnd(now);
        return next < 0 ? Long.MAX_VALUE / 2_000_000 : next;
    }

    /** Renews the leases of a pilot's attempts and answers the orders for them. */
    public HeartbeatReply heartbeat(String pilotId, Heartbeat heartbeat) {
        long now = System.currentTimeMillis();
        var orders = new ArrayList<Order>();
        var started = new ArrayList<Lease>();
        var progressed = new ArrayList<Lease>();
        var checkpointed = new ArrayList<Lease>();
        boolean reportsProgress = false;
        lock.lock();
        try {
            for (var status : heartbeat.attempts()) {
                Lease lease = leases.get(status.attemptId());
                if (lease == null || !lease.pilotId.equals(pilotId)) {
                    orders.add(new Order(status.attemptId(), Order.Kind.ABANDON));
                    continue;
                }
                lease.deadlineMs = now + settings.lease().toMillis();
                if (status.events() >= 0 && status.events() != lease.events) {
                    lease.events = status.events();
                    progressed.add(lease);
                }
                if (status.cpuSeconds() != null && status.rssKb() != null) {
                    long peak = Math.max(status.rssKb(), lease.usage == null ? 0 : lease.usage.peakRssKb());
                    lease.usage = new LiveUsage(status.cpuSeconds(), status.rssKb(), peak);
                }
                if (status.checkpoint() > lease.checkpoint) {
                    lease.checkpoint = status.checkpoint();
                    checkpointed.add(lease);
                }
                reportsProgress |= lease.task.task().spec().progress() != null;
                if (status.phase() == Heartbeat.Phase.RUNNING && lease.startedAtMs == 0) {
                    lease.startedAtMs = status.startedAtMs() > 0 ? status.startedAtMs() : now;
                    tasks.markRunning(lease.task.task().id(), lease.attemptId, lease.startedAtMs);
                    started.add(lease);
                }
                Order.Kind order = pendingOrders.remove(status.attemptId());
                if (order != null) {
                    orders.add(new Order(status.attemptId(), order));
                }
            }
        } finally {
            lock.unlock();
        }
        started.forEach(lease -> listener.taskStarted(lease.task.task().executionId()));
        checkpointed.forEach(lease -> ending.checkpointed(lease.attemptId, lease.checkpoint));
        progressed.forEach(lease -> listener.progress(lease.task.task().executionId(), lease.task.task().id(), lease.events));
        var stopAt = new HashMap<String, Long>();
        if (reportsProgress) {
            // This very heartbeat may have reached a Monte-Carlo total, or moved the tasks' shares of it:
            // its own pilot learns it now, not next time.
            lock.lock();
            try {
                for (var status : heartbeat.attempts()) {
                    Order.Kind order = pendingOrders.remove(status.attemptId());
                    if (order != null) {
                        orders.add(new Order(status.attemptId(), order));
                    }
                    Lease lease = leases.get(status.attemptId());
                    Long target = lease == null ? null
                            : stopTargets.getOrDefault(lease.task.task().executionId(), Map.of()).get(lease.task.task().id());
                    if (target != null && lease.pilotId.equals(pilotId)) {
                        stopAt.put(status.attemptId(), target);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        // Tasks that report progress may be told to stop at any moment: ask for heartbeats often.
        return new HeartbeatReply(orders, false, false, reportsProgress ? PROGRESS_HEARTBEAT_MS : 0, stopAt);
    }

    /** What these attempts use now, for those running whose pilot relays it (attempt id to its usage). */
    public Map<String, LiveUsage> liveUsage(Collection<String> attemptIds) {
        var usage = new HashMap<String, LiveUsage>();
        lock.lock();
        try {
            for (String id : attemptIds) {
                Lease lease = leases.get(id);
                if (lease != null && lease.usage != null) {
                    usage.put(id, lease.usage);
                }
            }
        } finally {
            lock.unlock();
        }
        return usage;
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
        var receipts = new ArrayList<CompletionReceipt>(items.size());
        var endings = new ArrayList<AttemptEnding.Ending>(items.size());
        for (var item : items) {
            var ending = accept(pilotId, item.attemptId(), item.completion());
            if (ending == null) {
                receipts.add(tasks.attemptEndedBy(item.attemptId(), pilotId)
                        ? new CompletionReceipt(true, "already recorded")
                        : new CompletionReceipt(false, "attempt " + item.attemptId()
                                + " is no longer this pilot's: its result is discarded"));
            } else {
                endings.add(ending);
                receipts.add(new CompletionReceipt(true, null));
            }
        }
        commit(endings);
        return receipts;
    }

    /**
     * Writes the endings in one transaction and then acts on them. Should that transaction fail, each
     * is written in its own, so that one bad ending cannot take the others with it.
     */
    private void commit(List<AttemptEnding.Ending> endings) {
        if (endings.isEmpty()) {
            return;
        }
        var written = endings;
        RuntimeException failure = null;
        try {
            tasks.inTransaction(() -> endings.forEach(AttemptEnding.Ending::write));
        } catch (RuntimeException e) {
            if (endings.size() == 1) {
                throw e;
            }
            log.warn("{} completions could not be written together ({}); writing them one at a time",
                    endings.size(), e.getMessage());
            written = new ArrayList<>();
            for (var ending : endings) {
                try {
                    tasks.inTransaction(ending::write);
                    written.add(ending);
                } catch (RuntimeException single) {
                    failure = failure == null ? single : failure;
                }
            }
        }
        written.forEach(ending -> ending.committed().ifPresent(this::requeue));
        if (failure != null) {
            throw failure;
        }
    }

    /** The in-memory part of a completion: null if the attempt is not (or no longer) this pilot's. */
    private AttemptEnding.Ending accept(String pilotId, String attemptId, Completion completion) {
        Lease lease;
        Completion effective = completion;
        boolean attemptOnly = false;
        var newHoles = new ArrayList<String>();
        lock.lock();
        try {
            lease = leases.get(attemptId);
            if (lease != null && lease.pilotId.equals(pilotId)) {
                leases.remove(attemptId);
                pendingOrders.remove(attemptId);
                queue.running(FairShareQueue.user(lease.task), -1);
                boolean success = completion.outcome() == Completion.Outcome.SUCCEEDED
                        || completion.outcome() == Completion.Outcome.STOPPED;
                if (success) {
                    newHoles.addAll(blackHoles.succeeded(pilotId));
                    if (completion.startedAtMs() > 0 && completion.endedAtMs() >= completion.startedAtMs()) {
                        stragglers.finished(lease.task.task().executionId(), completion.endedAtMs() - completion.startedAtMs());
                    }
                } else if (completion.outcome() == Completion.Outcome.FAILED) {
                    if (blackHoles.failed(pilotId, completion.usage().wallSeconds())) {
                        newHoles.add(pilotId);
                    }
                }
                String taskId = lease.task.task().id();
                if (replicated.containsKey(taskId)) {
                    String winner = replicated.get(taskId);
                    if (success && winner.isEmpty()) {
                        replicated.put(taskId, attemptId);
                        leases.values().stream().filter(l -> l.task.task().id().equals(taskId))
                                .forEach(l -> pendingOrders.put(l.attemptId, Order.Kind.CANCEL));
                        queue.removeIf(q -> q.task().id().equals(taskId));
                    } else {
                        boolean siblingAlive = leases.values().stream().anyMatch(l -> l.task.task().id().equals(taskId))
                                || queue.stream().anyMatch(q -> q.task().id().equals(taskId));
                        attemptOnly = !winner.isEmpty() || siblingAlive;
                        if (!winner.isEmpty() && success) {
                            effective = new Completion(Completion.Outcome.CANCELLED, completion.exitCode(),
                                    "another attempt of this task finished first", completion.startedAtMs(),
                                    completion.endedAtMs(), completion.events(), completion.usage());
                        }
                    }
                    if (leases.values().stream().noneMatch(l -> l.task.task().id().equals(taskId))) {
                        replicated.remove(taskId);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (lease == null || !lease.pilotId.equals(pilotId)) {
            return null;
        }
        for (String hole : newHoles) {
            log.warn("pilot {} is a black hole: {} or more attempts in a row failed fast there while others succeeded; "
                    + "it gets no more tasks", hole, BlackHoles.STREAK);
            pilots.blackHole(hole);
            metrics.blackHole();
        }
        return ending.completing(lease, effective, attemptOnly);
    }

    /** Whether a pilot was found to be a black hole (it should drain). */
    public boolean isBlackHole(String pilotId) {
        lock.lock();
        try {
            return blackHoles.isHole(pilotId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replicates stragglers: an attempt running far longer than its execution's finished ones gets a
     * second attempt on another pilot; the first to finish wins and the other is cancelled.
     */
    void replicateStragglers() {
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            boolean added = false;
            for (Lease lease : leases.values()) {
                TaskDefinition task = lease.task.task();
                if (lease.startedAtMs > 0 && task.spec().progress() == null && !replicated.containsKey(task.id())
                        && stragglers.isStraggler(task.executionId(), now - lease.startedAtMs)) {
                    replicated.put(task.id(), "");
                    queue.add(lease.task.replicaAvoiding(lease.pilotId, now));
                    added = true;
                    log.info("task {} runs on pilot {} for {} s, far longer than its siblings: replicating it elsewhere",
                            task.id(), lease.pilotId, (now - lease.startedAtMs) / 1000);
                }
            }
            if (added) {
                workQueued.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether this attempt is leased to this pilot now (for its input, output and log calls). */
    boolean holds(String pilotId, String attemptId) {
        lock.lock();
        try {
            Lease lease = leases.get(attemptId);
            return lease != null && lease.pilotId.equals(pilotId);
        } finally {
            lock.unlock();
        }
    }

    Lease leaseOf(String attemptId) {
        lock.lock();
        try {
            return leases.get(attemptId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the attempt is leased to this pilot, or was (a completion may arrive after its lease
     * expired: it gets a receipt that says it is discarded). Any other pilot's attempt is none of its business.
     */
    boolean isOrWasLeasedTo(String attemptId, String pilotId) {
        Lease lease = leaseOf(attemptId);
        return lease != null ? lease.pilotId.equals(pilotId) : tasks.attemptOf(attemptId, pilotId);
    }

    private void requeue(QueuedTask task) {
        lock.lock();
        try {
            queue.add(task);
            workQueued.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Kills an execution: its queued tasks are dropped, its running ones ordered to cancel. */
    public void cancelExecution(String executionId) {
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            queue.removeIf(q -> q.task().executionId().equals(executionId));
            stopTargets.remove(executionId);
            leases.values().stream().filter(l -> l.task.task().executionId().equals(executionId))
                    .forEach(l -> pendingOrders.put(l.attemptId, Order.Kind.CANCEL));
            tasks.cancelLiveTasks(executionId, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells every running task of an execution to stop early and drops its queued ones: a Monte-Carlo
     * total is reached. The stopped tasks upload their partial results and end as STOPPED.
     */
    public void stopExecution(String executionId) {
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            queue.removeIf(q -> q.task().executionId().equals(executionId));
            stopTargets.remove(executionId);
            leases.values().stream().filter(l -> l.task.task().executionId().equals(executionId))
                    .forEach(l -> pendingOrders.putIfAbsent(l.attemptId, Order.Kind.STOP));
            tasks.cancelQueuedTasks(executionId, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the stop targets of an execution's running Monte-Carlo tasks (task id to events), replacing
     * the older ones (none: forgets them): each pilot learns its tasks' in its next heartbeat reply, and
     * stops a task itself when it gets there.
     */
    public void stopTargets(String executionId, Map<String, Long> targets) {
        lock.lock();
        try {
            if (targets.isEmpty()) {
                stopTargets.remove(executionId);
            } else {
                stopTargets.put(executionId, Map.copyOf(targets));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Tasks of an execution that are queued or leased now. */
    public int liveTasks(String executionId) {
        lock.lock();
        try {
            return (int) (queue.stream().filter(q -> q.task().executionId().equals(executionId)).count()
                    + leases.values().stream().filter(l -> l.task.task().executionId().equals(executionId)).count());
        } finally {
            lock.unlock();
        }
    }

    /** A pilot is known to be dead (its process ended): its leases end now instead of at their deadline. */
    public void pilotGone(String pilotId, String why) {
        lock.lock();
        try {
            gonePilots.add(pilotId);
        } finally {
            lock.unlock();
        }
        expire(lease -> lease.pilotId.equals(pilotId), "pilot " + pilotId + " " + why);
    }

    /** Returns the tasks of leases that no heartbeat renewed in time to the queue. */
    void expireLeases() {
        long now = System.currentTimeMillis();
        expire(lease -> lease.deadlineMs < now, null);
    }

    private void expire(Predicate<Lease> which, String reason) {
        long now = System.currentTimeMillis();
        var expired = new ArrayList<Lease>();
        lock.lock();
        try {
            for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
                Lease lease = it.next();
                if (which.test(lease)) {
                    it.remove();
                    pendingOrders.remove(lease.attemptId);
                    queue.running(FairShareQueue.user(lease.task), -1);
                    expired.add(lease);
                }
            }
            for (Lease lease : expired) {
                String taskId = lease.task.task().id();
                if (replicated.containsKey(taskId)) {
                    boolean siblingAlive = leases.values().stream().anyMatch(l -> l.task.task().id().equals(taskId))
                            || queue.stream().anyMatch(q -> q.task().id().equals(taskId));
                    if (!replicated.get(taskId).isEmpty() || siblingAlive) {
                        lease.replicaOnly = true;
                    }
                    if (!siblingAlive) {
                        replicated.remove(taskId);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        for (Lease lease : expired) {
            String why = reason != null ? reason : "lease expired: pilot " + lease.pilotId + " on " + lease.host + " stopped answering";
            log.info("attempt {} (task {}) lost: {}", lease.attemptId, lease.task.task().id(), why);
            ending.lost(lease, why, now, lease.replicaOnly).ifPresent(this::requeue);
        }
    }

    /** Rebuilds the queue and the leases from the database, before the first pilot call can arrive. */
    @Override
    public void afterSingletonsInstantiated() {
        recover();
    }

    private void recover() {
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            for (var live : tasks.liveTasks()) {
                var queued = new QueuedTask(live.task(), live.attempts(), live.failures(), live.losses(),
                        live.unstartedLosses(), 0);
                if (live.status() == TaskStatus.QUEUED || live.attemptId() == null) {
                    queue.add(queued);
                } else {
                    // Its pilot may still be at work: give it one lease period to reconnect and re-adopt.
                    var lease = new Lease(live.attemptId(), queued, live.pilotId(), live.host(), now + settings.lease().toMillis());
                    lease.startedAtMs = live.startedAtMs();
                    leases.put(live.attemptId(), lease);
                    queue.running(FairShareQueue.user(queued), 1);
                }
            }
            if (!queue.isEmpty() || !leases.isEmpty()) {
                log.info("recovered {} queued task(s) and {} lease(s)", queue.size(), leases.size());
            }
            workQueued.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Refreshes the per-user queue depth gauge (Prometheus scrapes are much rarer than this). */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelay = 5_000)
    void publishQueueDepth() {
        Map<String, Long> byUser;
        lock.lock();
        try {
            byUser = queue.stream().collect(java.util.stream.Collectors.groupingBy(q -> q.task().owner().username(),
                    java.util.stream.Collectors.counting()));
        } finally {
            lock.unlock();
        }
        metrics.queueDepth(byUser);
    }

    /** Queued tasks, for the pilot factory and the metrics. */
    public int queuedCount() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    public int leasedCount() {
        lock.lock();
        try {
            return leases.size();
        } finally {
            lock.unlock();
        }
    }
}
