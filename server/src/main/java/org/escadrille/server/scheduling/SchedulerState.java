package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.escadrille.protocol.Order;

/**
 * The scheduler's memory: the queue, the leases, the orders waiting for a heartbeat, and the one lock
 * that guards them all (single writer). Every part of the scheduler reads and changes them through
 * {@link #read}, {@link #write}, {@link #update} and {@link #afterWorkQueued} only. The database writes that must stay in step
 * with memory (new tasks, grants, cancellations) run under the lock; storage, attempt endings and the
 * listeners run outside it.
 */
final class SchedulerState {
    private final ReentrantLock lock = new ReentrantLock();
    /** The lease hand-off thread waits on it for work ({@link LongPolls}); no request thread waits. */
    private final Condition handOff = lock.newCondition();
    private boolean workPending;
    private boolean wakePending;

    final FairShareQueue queue;
    /** Attempt id to its lease, in the order they were granted. */
    private final Map<String, Lease> leasesByAttempt = new LinkedHashMap<>();
    /** The leases, read-only: a lease comes in by {@link #lease} and goes by {@link #release}. */
    final Map<String, Lease> leases = Collections.unmodifiableMap(leasesByAttempt);
    /**
     * Task id to the leases of its attempts (one, or several while a straggler is replicated): an attempt's
     * ending asks for its siblings, and a walk of every lease under the lock cost each completion a time that
     * grew with the pool (6% of a 10,000-pilot server's samples on PostgreSQL).
     */
    private final Map<String, List<Lease>> leasesByTask = new HashMap<>();
    /** Pilot id to how many attempts it holds: the pilots that heartbeat ({@link HeartbeatPace}). */
    private final Map<String, int[]> leasesPerPilot = new HashMap<>();
    /** Orders for attempts (cancel, stop, abandon), handed out with their pilot's next heartbeat reply. */
    final Map<String, Order.Kind> pendingOrders = new HashMap<>();
    /** Monte-Carlo tasks' stop targets (execution id to task id to events), sent with their pilots' heartbeat replies. */
    final Map<String, Map<String, Long>> stopTargets = new HashMap<>();
    /** Pilots known to be gone: a long poll of theirs still waiting on the server must not take work. */
    final Set<String> gonePilots = new HashSet<>();
    final BlackHoles blackHoles = new BlackHoles();

    SchedulerState(int userQuota) {
        this.queue = new FairShareQueue(userQuota);
    }

    /** Runs {@code reading} under the lock and answers what it found. */
    <T> T read(Supplier<T> reading) {
        lock.lock();
        try {
            return reading.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code writing} under the lock. */
    void write(Runnable writing) {
        lock.lock();
        try {
            writing.run();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code change} under the lock and answers its result. */
    <T> T update(Supplier<T> change) {
        return read(change);
    }

    /**
     * The lease hand-off's wait ({@link LongPolls}): until work is queued or {@link #wakeHandOff} is called,
     * or {@code maxWaitNanos} passed, then {@code pass} runs under the lock, told whether work was queued
     * since the last pass.
     */
    <T> T afterWorkQueued(long maxWaitNanos, Function<Boolean, T> pass) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (!workPending && !wakePending && maxWaitNanos > 0) {
                handOff.awaitNanos(maxWaitNanos);
            }
            boolean queued = workPending;
            workPending = false;
            wakePending = false;
            return pass.apply(queued);
        } finally {
            lock.unlock();
        }
    }

    /** Queues a task and tells the lease hand-off. Under the lock. */
    void enqueue(QueuedTask task) {
        queue.add(task);
        workQueued();
    }

    /** Tells the lease hand-off that work was queued: the waiting lease requests may take it. Under the lock. */
    void workQueued() {
        workPending = true;
        handOff.signal();
    }

    /** Wakes the lease hand-off to look at its waiters again (a new deadline, or it stops). Under the lock. */
    void wakeHandOff() {
        wakePending = true;
        handOff.signal();
    }

    /** An attempt is leased (granted, or found leased at startup). Under the lock. */
    void lease(Lease lease) {
        Lease before = leasesByAttempt.put(lease.attemptId, lease);
        if (before != null) {
            forgetByTask(before);
            forgetByPilot(before);
        }
        leasesByTask.computeIfAbsent(lease.definition().id(), id -> new ArrayList<>(1)).add(lease);
        leasesPerPilot.computeIfAbsent(lease.pilotId, id -> new int[1])[0]++;
    }

    /** The lease of an attempt is over (it ended or was lost): its slot and its orders go. Under the lock. */
    void release(Lease lease) {
        Lease removed = leasesByAttempt.remove(lease.attemptId);
        if (removed != null) {
            forgetByTask(removed);
            forgetByPilot(removed);
        }
        pendingOrders.remove(lease.attemptId);
        queue.running(FairShareQueue.user(lease.task), -1);
    }

    /** Whether the attempt is leased to this pilot now. Under the lock. */
    boolean isLeasedTo(String attemptId, String pilotId) {
        Lease lease = leases.get(attemptId);
        return lease != null && lease.pilotId.equals(pilotId);
    }

    /** Leases of a task's attempts (several while a straggler is replicated). Under the lock. */
    Stream<Lease> leasesOfTask(String taskId) {
        return leasesByTask.getOrDefault(taskId, List.of()).stream();
    }

    /** How many pilots hold at least one attempt. Under the lock. */
    int busyPilots() {
        return leasesPerPilot.size();
    }

    private void forgetByPilot(Lease lease) {
        int[] held = leasesPerPilot.get(lease.pilotId);
        if (held != null && --held[0] <= 0) {
            leasesPerPilot.remove(lease.pilotId);
        }
    }

    private void forgetByTask(Lease lease) {
        String taskId = lease.definition().id();
        List<Lease> ofTask = leasesByTask.get(taskId);
        if (ofTask != null) {
            ofTask.remove(lease);
            if (ofTask.isEmpty()) {
                leasesByTask.remove(taskId);
            }
        }
    }

    /** Leases of an execution's attempts. Under the lock. */
    Stream<Lease> leasesOfExecution(String executionId) {
        return leases.values().stream().filter(l -> l.definition().executionId().equals(executionId));
    }

    /** Whether an attempt of the task is leased or queued. Under the lock. */
    boolean hasLiveAttempt(String taskId) {
        return leasesByTask.containsKey(taskId) || queue.holds(taskId);
    }

    /** The stop target of a Monte-Carlo task, or null. Under the lock. */
    Long stopTarget(TaskDefinition task) {
        return stopTargets.getOrDefault(task.executionId(), Map.of()).get(task.id());
    }

    static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
