package org.escadrille.server.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.escadrille.server.ServiceBusyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes that arrive together, committed together: one thread takes what was submitted while the last
 * batch was being written (and what comes within {@code window} of the first), hands it to
 * {@code commitAll} (one transaction) and completes each caller's future with its own outcome. A storm of
 * pilots registering then costs one database connection and a commit every few milliseconds, not one
 * connection per request waiting in line (issue 18). A batch that fails fails each of its callers with a
 * {@link ServiceBusyException}: a 503 that the pilot sends again.
 *
 * @param <T> a write
 * @param <R> its outcome
 */
final class GroupCommit<T, R> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<T, R>(T write, CompletableFuture<R> outcome) {
    }

    /** The most writes of a {@link #ofWaiting} batch (a batch of leases holds the scheduler's lock meanwhile). */
    static final int MAX_WAITING_BATCH = 256;

    private final String name;
    private final Function<List<T>, List<R>> commitAll;
    private final long windowNanos;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending<T, R>> submitted = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param commitAll writes a batch in one transaction and answers one outcome per write, in order
     * @param window    how long the batch stays open for more after its first write (zero: only what waits)
     * @param maxBatch  the most writes in one batch
     */
    GroupCommit(String name, Function<List<T>, List<R>> commitAll, Duration window, int maxBatch) {
        this.name = name;
        this.commitAll = commitAll;
        this.windowNanos = window.toNanos();
        this.maxBatch = maxBatch;
    }

    /**
     * A group commit that takes only what waits (no window), at most {@value #MAX_WAITING_BATCH} at a time: for
     * writes whose callers already arrive together under load, so that a lone one is not kept waiting.
     */
    static <T, R> GroupCommit<T, R> ofWaiting(String name, Function<List<T>, List<R>> commitAll) {
        return new GroupCommit<>(name, commitAll, Duration.ZERO, MAX_WAITING_BATCH);
    }

    /** Queues a write; the future completes once its batch is committed (or fails with it). */
    CompletableFuture<R> submit(T write) {
        var pending = new Pending<T, R>(write, new CompletableFuture<>());
        if (closed) {
            pending.outcome.completeExceptionally(busy("the server is stopping", null));
            return pending.outcome;
        }
        if (started.compareAndSet(false, true)) {
            // A platform thread: under a storm thousands of request threads are runnable, and a virtual
            // writer would wait behind all of them for each batch, which is what they all wait for.
            Thread.ofPlatform().daemon().name(name).start(this::run);
        }
        submitted.add(pending);
        return pending.outcome;
    }

    /** Submits and waits for the outcome; a failed batch is a {@link ServiceBusyException}. */
    R write(T write) {
        try {
            return submit(write).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("the request was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw busy("the write failed", e.getCause());
        }
    }

    private void run() {
        var batch = new ArrayList<Pending<T, R>>();
        while (!closed) {
            try {
                var first = submitted.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                submitted.drainTo(batch, maxBatch - batch.size());
                long deadline = System.nanoTime() + windowNanos;
                while (batch.size() < maxBatch && windowNanos > 0) {
                    long left = deadline - System.nanoTime();
                    var next = left > 0 ? submitted.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    submitted.drainTo(batch, maxBatch - batch.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
            commit(batch);
            batch.clear();
        }
        Pending<T, R> left;
        while ((left = submitted.poll()) != null) {
            left.outcome.completeExceptionally(busy("the server is stopping", null));
        }
    }

    private void commit(List<Pending<T, R>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<R> outcomes;
        try {
            outcomes = commitAll.apply(batch.stream().map(Pending::write).toList());
        } catch (RuntimeException e) {
            log.warn("{}: a batch of {} write(s) failed, each caller is answered 503: {}", name, batch.size(), e.toString());
            batch.forEach(p -> p.outcome.completeExceptionally(busy("the database did not take the write", e)));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome.complete(outcomes.get(i));
        }
    }

    private static ServiceBusyException busy(String why, Throwable cause) {
        return new ServiceBusyException("the server could not write this now (" + why + "); try again shortly", cause);
    }

    /** Stops taking writes; those queued and not yet taken fail as busy. */
    @Override
    public void close() {
        closed = true;
    }
}
