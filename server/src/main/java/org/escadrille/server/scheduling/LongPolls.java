package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.TaskAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease requests waiting for work (pilots' long polls), in arrival order, and the one thread that hands
 * them work when some is queued, when a task held back may go, and answers them empty at their
 * deadline. A waiting request holds no thread, only its {@link Waiter} and its suspended HTTP request
 * (issue 18: 10,000 parked virtual threads were a fifth of a 1 GiB heap). Everything but the thread's
 * start and stop is under the {@link SchedulerState}'s lock; answers are completed outside it.
 *
 * <p>At most {@code maxParked} requests wait (a suspended request still holds some 50 KB of Tomcat's
 * buffers): beyond, a request is {@linkplain #turnAway turned away} with an empty grant that says when to
 * ask again, drawn around its own wait so that those re-polls come at the rate parked polls would, or
 * around the pool's come-back spread when that is longer (a large pool comes back at a bounded rate). While
 * requests are turned away, a parked one that reaches its deadline empty is told to come back later too,
 * rather than at once: the parked places rotate among the pilots instead of staying with those that
 * happened to get one first.
 */
final class LongPolls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LongPolls.class);

    /** A lease request waiting for work until {@code deadlineNanos} ({@link System#nanoTime()}). */
    static final class Waiter {
        final String pilotId;
        final String host;
        final Set<String> pilotTags;
        final LeaseRequest request;
        final long askedNanos;
        final long deadlineNanos;
        final CompletableFuture<LeaseGrant> answer = new CompletableFuture<>();

        Waiter(String pilotId, String host, Set<String> pilotTags, LeaseRequest request, long askedNanos,
               long deadlineNanos) {
            this.pilotId = pilotId;
            this.host = host;
            this.pilotTags = pilotTags;
            this.request = request;
            this.askedNanos = askedNanos;
            this.deadlineNanos = deadlineNanos;
        }

        /** Whether the request asked to wait for work at all. */
        boolean waits() {
            return deadlineNanos > askedNanos;
        }

        long waitMs() {
            return Math.max(1, (deadlineNanos - askedNanos) / 1_000_000);
        }
    }

    private final SchedulerState state;
    /** A new batch of grants, written at the end of a pass. Under the lock. */
    private final Supplier<Grants> grants;
    /** Milliseconds until a task held back (backoff, avoiding a pilot) may go, or -1. Under the lock. */
    private final LongSupplier nextBackoffEndMs;

    /** Waiters in arrival order: work goes to those who asked first. Under the lock. */
    private final Set<Waiter> waiting = Collections.newSetFromMap(new LinkedHashMap<>());
    /** The same waiters by deadline; those answered meanwhile are dropped when they reach the head. Under the lock. */
    private final PriorityQueue<Waiter> byDeadline = new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));
    /** When the hand-off thread wakes up next unless signalled. Under the lock. */
    private long nextWakeNanos = Long.MAX_VALUE;
    /** When a task held back may go to a waiter (Long.MAX_VALUE: none is). Under the lock. */
    private long backoffEndNanos = Long.MAX_VALUE;
    private Thread handOff;
    private volatile boolean closed;
    private final int maxParked;
    /** How long after a request was turned away the parked places still rotate. */
    private final long rotationNanos;
    private final RandomGenerator random;
    /** Over how long the pilots told to come back should come back, at least (milliseconds; 0: their own waits). */
    private final LongSupplier comeBackSpreadMs;
    /** When a request was last turned away (Long.MIN_VALUE: never). Under the lock. */
    private long turnedAwayNanos = Long.MIN_VALUE;

    /**
     * @param maxParked     the most requests that wait at once
     * @param rotationNanos how long after the last request turned away a parked one ending empty is told to come back later
     * @param comeBackSpreadMs over how long, at least, the pilots told to come back later come back
     * @param random        draws the times turned-away requests are told to come back at
     */
    LongPolls(SchedulerState state, Supplier<Grants> grants, LongSupplier nextBackoffEndMs,
              int maxParked, long rotationNanos, LongSupplier comeBackSpreadMs, RandomGenerator random) {
        this.state = state;
        this.grants = grants;
        this.nextBackoffEndMs = nextBackoffEndMs;
        this.maxParked = maxParked;
        this.rotationNanos = rotationNanos;
        this.comeBackSpreadMs = comeBackSpreadMs;
        this.random = random;
    }

    /** Whether one more request may wait. Under the lock. */
    boolean hasRoom() {
        return waiting.size() < maxParked;
    }

    /**
     * The answer to a request that found no work and no room to wait: ask again after about its own wait,
     * drawn between half and one and a half times it, so that the turned-away pilots come back spread out, at
     * the rate they would if they had waited; or about the pool's come-back spread, when that is longer. Under
     * the lock.
     */
    LeaseGrant turnAway(Waiter waiter) {
        turnedAwayNanos = System.nanoTime();
        return LeaseGrant.later(retryAfterMs(waiter));
    }

    private long retryAfterMs(Waiter waiter) {
        long aboutMs = Math.max(waiter.waitMs(), comeBackSpreadMs.getAsLong());
        return Math.max(1, aboutMs / 2 + random.nextLong(aboutMs + 1));
    }

    /** Adds a request that found no work; its answer comes from the hand-off thread. Under the lock. */
    void add(Waiter waiter) {
        if (closed) {
            waiter.answer.complete(LeaseGrant.none());
            return;
        }
        if (handOff == null) {
            handOff = Thread.ofPlatform().daemon().name("lease-hand-off").start(this::handOffLoop);
        }
        waiting.add(waiter);
        byDeadline.add(waiter);
        if (waiter.deadlineNanos < nextWakeNanos) {
            state.wakeHandOff();
        }
    }

    /** Takes out the waiting requests of these pilots, for the caller to answer after the lock. Under the lock. */
    List<Waiter> wake(Set<String> pilotIds) {
        var woken = new ArrayList<Waiter>();
        for (var iterator = waiting.iterator(); iterator.hasNext(); ) {
            Waiter waiter = iterator.next();
            if (pilotIds.contains(waiter.pilotId)) {
                iterator.remove();
                woken.add(waiter);
            }
        }
        // Their places in byDeadline are dropped when they reach its head.
        return woken;
    }

    /** Requests waiting now. Under the lock. */
    int size() {
        return waiting.size();
    }

    private void handOffLoop() {
        long waitNanos = 0;
        while (!closed) {
            List<Answer> answers;
            try {
                long wait = waitNanos;
                answers = state.afterWorkQueued(wait, this::pass);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // The thread must outlive any one failure (a database error on a grant): the waiters need it.
                log.warn("handing work to waiting lease requests failed; trying again", e);
                answers = List.of();
            }
            for (Answer answer : answers) {
                answer.complete();
            }
            waitNanos = state.read(() -> nextWakeNanos == Long.MAX_VALUE ? Long.MAX_VALUE : nextWakeNanos - System.nanoTime());
        }
    }

    /** One round of the hand-off, under the lock: work to those who can take it, empty answers at deadlines. */
    private List<Answer> pass(boolean workQueued) {
        long now = System.nanoTime();
        var answers = new ArrayList<Answer>();
        var batch = grants.get();
        var granted = new ArrayList<Waiter>();
        boolean backoffOver = now >= backoffEndNanos;
        if ((workQueued || backoffOver) && !waiting.isEmpty()) {
            var iterator = waiting.iterator();
            while (iterator.hasNext() && !state.queue.isEmpty()) {
                Waiter waiter = iterator.next();
                if (waiter.answer.isDone()) {
                    iterator.remove();
                    continue;
                }
                if (batch.take(waiter)) {
                    granted.add(waiter);
                    iterator.remove();
                }
            }
        }
        while (!byDeadline.isEmpty() && (byDeadline.peek().deadlineNanos <= now || !waiting.contains(byDeadline.peek()))) {
            Waiter waiter = byDeadline.poll();
            if (!waiting.remove(waiter) || waiter.answer.isDone()) {
                continue;
            }
            if (batch.take(waiter)) {
                granted.add(waiter);
            } else {
                // One last try at the deadline (a user's quota may have freed), then an empty answer; while
                // others are turned away, with a time to come back so that its place goes to one of them.
                boolean rotate = turnedAwayNanos != Long.MIN_VALUE && now - turnedAwayNanos <= rotationNanos;
                answers.add(new Answer(waiter, List.of(), rotate ? retryAfterMs(waiter) : 0, null));
            }
        }
        // The pass's grants in one transaction; should it fail, their tasks are queued again and those
        // waiters answered with the failure (the pilot asks again).
        try {
            batch.commit().forEach(grant -> answers.add(new Answer(grant.waiter(), grant.tasks(), 0, null)));
        } catch (RuntimeException e) {
            granted.forEach(waiter -> answers.add(new Answer(waiter, null, 0, e)));
        }
        nextWakeNanos = Long.MAX_VALUE;
        backoffEndNanos = Long.MAX_VALUE;
        if (!waiting.isEmpty()) {
            long backoffMs = nextBackoffEndMs.getAsLong();
            if (backoffMs >= 0) {
                backoffEndNanos = now + SchedulerState.nanos(Math.max(1, backoffMs));
            }
            nextWakeNanos = Math.min(byDeadline.peek().deadlineNanos, backoffEndNanos);
        }
        return answers;
    }

    /** Stops the hand-off thread; requests still waiting are answered empty. */
    @Override
    public void close() {
        closed = true;
        // Signalled, not interrupted: an interrupt in a database write closes H2's file.
        var left = state.update(() -> {
            var answered = new ArrayList<>(waiting);
            waiting.clear();
            byDeadline.clear();
            state.wakeHandOff();
            return answered;
        });
        left.forEach(waiter -> waiter.answer.complete(LeaseGrant.none()));
    }

    private record Answer(Waiter waiter, List<TaskAssignment> tasks, long retryAfterMs, RuntimeException failure) {
        void complete() {
            boolean delivered = failure == null ? waiter.answer.complete(new LeaseGrant(tasks, false, retryAfterMs))
                    : waiter.answer.completeExceptionally(failure);
            if (!delivered && tasks != null && !tasks.isEmpty()) {
                // The request ended (its client went away) as it was granted: its leases expire and their
                // tasks come back, as when an answer is lost on the wire.
                log.info("pilot {} was granted {} task(s) as its lease request ended; they return when the lease expires",
                        waiter.pilotId, tasks.size());
            }
        }
    }
}
