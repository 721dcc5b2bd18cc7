package org.escadrille.pilot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The attempts this pilot holds: the lease loop adds them; an attempt occupies a slot (or a place in
 * the prefetch queue behind the slots) until its command is over and its completion handed to the
 * {@link CompletionReporter}, and is held until the server has its completion. An attempt occupies
 * as many slots as its task needs cores, and holds the memory its task needs, for as long. Heartbeats
 * and orders look them up. Waiters are woken on every change.
 */
final class AttemptRegistry {
    private final int slots;
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    private final Map<String, Attempt> occupying = new ConcurrentHashMap<>();
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
        return Math.max(0, slots - occupied());
    }

    /** Slots occupied by attempts running or queued for slots: each its task's cores. */
    int occupied() {
        int cores = 0;
        for (Attempt attempt : occupying.values()) {
            cores += attempt.cores();
        }
        return cores;
    }

    /** Memory held by attempts running or queued for slots, in MiB. */
    long heldMemoryMb() {
        long memoryMb = 0;
        for (Attempt attempt : occupying.values()) {
            memoryMb += attempt.memoryMb();
        }
        return memoryMb;
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
        occupying.put(attempt.id(), attempt);
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

    /** Waits until attempts occupy fewer than {@code capacity} slots (running or waiting for them), at most {@code timeout}. */
    boolean awaitRoom(int capacity, Duration timeout) throws InterruptedException {
        return await(timeout, () -> occupied() < capacity);
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
        return occupied() + "/" + slots + " slots busy";
    }

}
