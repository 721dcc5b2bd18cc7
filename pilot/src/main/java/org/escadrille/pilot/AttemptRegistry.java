package org.escadrille.pilot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The attempts this pilot runs now, one per slot: the lease loop adds them, each attempt removes
 * itself when it ends, heartbeats and orders look them up. Waiters are woken on every change.
 */
final class AttemptRegistry {
    private final int slots;
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    AttemptRegistry(int slots) {
        this.slots = slots;
    }

    int freeSlots() {
        return Math.max(0, slots - running.size());
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
        signal();
    }

    void remove(Attempt attempt) {
        running.remove(attempt.id(), attempt);
        signal();
    }

    /** Waits until a slot is free, at most {@code timeout}; true if one is. */
    boolean awaitFreeSlot(Duration timeout) throws InterruptedException {
        return await(timeout, () -> freeSlots() > 0);
    }

    /** Waits until no attempt runs, at most {@code timeout}; true if none does. */
    boolean awaitEmpty(Duration timeout) throws InterruptedException {
        return await(timeout, this::isEmpty);
    }

    private boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
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
        return running.size() + "/" + slots + " slots busy";
    }

}
