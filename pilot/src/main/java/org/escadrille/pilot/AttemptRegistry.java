package org.escadrille.pilot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The attempts this pilot holds: the lease loop adds them; an attempt occupies a slot (or a place in
 * the prefetch queue behind the slots) until its command is over and its completion handed to the
 * {@link CompletionReporter}, and is held until the server has its completion. Heartbeats and
 * orders look them up. Waiters are woken on every change.
 */
final class AttemptRegistry {
    private final int slots;
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    private final Set<String> occupying = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    AttemptRegistry(int slots) {
        this.slots = slots;
    }

    int slots() {
        return slots;
    }

    /** Slots that no attempt occupies (running, or queued for a slot). */
    int freeSlots() {
        return Math.max(0, slots - occupying.size());
    }

    /** Attempts occupying a slot or queued for one. */
    int occupied() {
        return occupying.size();
    }

    boolean isEmpty() {
        return running.isEmpty();
    }

    List<Attempt> all() {
        return List.copyOf(running.values());
    }

    List<String> ids() {
        return List.copyOf(running.keySet());
    }

    Optional<Attempt> find(String attemptId) {
        return Optional.ofNullable(running.get(attemptId));
    }

    void add(Attempt attempt) {
        running.put(attempt.id(), attempt);
        occupying.add(attempt.id());
        signal();
    }

    /** The attempt's command is over: its slot is free, though the attempt is held until reported. */
    void release(Attempt attempt) {
        occupying.remove(attempt.id());
        signal();
    }

    void remove(Attempt attempt) {
        if (running.remove(attempt.id(), attempt)) {
            occupying.remove(attempt.id());
        }
        signal();
    }

    /** Waits until fewer than {@code capacity} attempts occupy slots or wait for one, at most {@code timeout}. */
    boolean awaitRoom(int capacity, Duration timeout) throws InterruptedException {
        return await(timeout, () -> occupying.size() < capacity);
    }

    /** Waits until no attempt runs, at most {@code timeout}; true if none does. */
    boolean awaitEmpty(Duration timeout) throws InterruptedException {
        return await(timeout, this::isEmpty);
    }

    private boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** For log lines. */
    @Override
    public String toString() {
        return occupying.size() + "/" + slots + " slots busy";
    }

}
