package org.escadrille.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CARMIN clients watching executions: every one of {@code ids} is asked for its status
 * ({@code GET /rest/executions/{id}}) once a second, spread over 50 virtual threads, as many scripts
 * of VIP's client monitoring their sessions would; what the dispatch benchmark runs beside its
 * dispatch with {@code --carmin-pollers N} (issue 15: they must add less than 5% to its time).
 */
final class CarminPollers implements AutoCloseable {
    private static final int THREADS = 50;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private volatile String firstFailure;

    CarminPollers(Api api, List<String> ids) {
        for (int t = 0; t < THREADS; t++) {
            var mine = new ArrayList<String>();
            for (int i = t; i < ids.size(); i += THREADS) {
                mine.add(ids.get(i));
            }
            long offsetNanos = TimeUnit.MILLISECONDS.toNanos(1000L * t / THREADS);
            threads.add(Thread.ofVirtual().name("carmin-poller-" + t).start(() -> poll(api, mine, offsetNanos)));
        }
    }

    private void poll(Api api, List<String> ids, long offsetNanos) {
        long next = System.nanoTime() + offsetNanos;
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            for (String id : ids) {
                try {
                    api.get("/rest/executions/" + id);
                    polls.incrementAndGet();
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        return; // interrupted by close(): no failure of the server's
                    }
                    if (failures.getAndIncrement() == 0) {
                        firstFailure = e.toString();
                    }
                }
            }
            next += TimeUnit.SECONDS.toNanos(1);
        }
    }

    /** Status requests answered per second since the start. */
    double pollsPerSecond() {
        return polls.get() / Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    }

    long failures() {
        return failures.get();
    }

    /** What the first failed status request said, or null. */
    String firstFailure() {
        return firstFailure;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join();
        }
    }
}
