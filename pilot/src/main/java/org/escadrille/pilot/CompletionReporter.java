package org.escadrille.pilot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.CompletionReceipt;

/**
 * Reports completions off the slots' threads, in batches: an attempt whose command is over hands
 * its completion here and frees its slot at once; this thread sends whatever has gathered in one
 * request (while one request is out, the next batch gathers), retrying while the server is
 * unreachable. The attempt stays held (listed in heartbeats, re-adopted after a server restart)
 * until the server has answered for it, so a crash on either side loses no result: an unreported
 * attempt is requeued by the server, never counted twice.
 */
final class CompletionReporter implements Runnable {
    private static final Logger LOG = Logger.getLogger(CompletionReporter.class.getName());
    static final int MAX_BATCH = 200;
    /** How long a completion waits for others to share its request: nothing next to a task, much for a tiny one. */
    static final long GATHER_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private record Pending(Attempt attempt, Completion completion) {
    }

    private final ServerClient client;
    private final AttemptRegistry registry;
    private final Termination termination;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

    CompletionReporter(ServerClient client, AttemptRegistry registry, Termination termination) {
        this.client = client;
        this.registry = registry;
        this.termination = termination;
    }

    /** Queues an attempt's completion; the attempt is removed from the registry once reported. */
    void submit(Attempt attempt, Completion completion) {
        pending.add(new Pending(attempt, completion));
    }

    @Override
    public void run() {
        var backoff = Backoff.standard();
        var batch = new ArrayList<Pending>();
        while (true) {
            try {
                if (batch.isEmpty()) {
                    Pending first = pending.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        if (termination.isRequested() && registry.isEmpty()) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    gather(batch);
                }
                batch.removeIf(item -> {
                    if (item.attempt().isDropped()) {
                        registry.remove(item.attempt());
                        return true;
                    }
                    return false;
                });
                if (batch.isEmpty()) {
                    continue;
                }
                send(batch);
                batch.clear();
                backoff.reset();
            } catch (ServerUnreachableException e) {
                sleep(backoff.nextDelayMs());
            } catch (TokenRejectedException e) {
                LOG.warning(() -> "token rejected, " + batch.size() + " completion(s) dropped: " + e.getMessage());
                batch.forEach(item -> registry.remove(item.attempt()));
                batch.clear();
            } catch (RuntimeException e) {
                // The server refused the whole batch (a bug on one side): do not retry it forever.
                LOG.severe(() -> "completions refused, " + batch.size() + " dropped (the server will requeue them): " + e);
                batch.forEach(item -> registry.remove(item.attempt()));
                batch.clear();
                sleep(backoff.nextDelayMs());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void gather(List<Pending> batch) throws InterruptedException {
        long until = System.nanoTime() + GATHER_NS;
        while (batch.size() < MAX_BATCH) {
            pending.drainTo(batch, MAX_BATCH - batch.size());
            long left = until - System.nanoTime();
            if (left <= 0 || termination.isRequested()) {
                return;
            }
            Pending next = pending.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void send(List<Pending> batch) {
        var items = batch.stream().map(p -> new CompletionBatch.Item(p.attempt().id(), p.completion())).toList();
        List<CompletionReceipt> receipts = client.completeAll(new CompletionBatch(items)).receipts();
        for (int i = 0; i < batch.size(); i++) {
            Pending item = batch.get(i);
            CompletionReceipt receipt = i < receipts.size() ? receipts.get(i)
                    : new CompletionReceipt(false, "no receipt from the server");
            log(item, receipt);
            registry.remove(item.attempt());
        }
    }

    private static void log(Pending item, CompletionReceipt receipt) {
        var completion = item.completion();
        var usage = completion.usage();
        // Concatenated, not String.format: one line per task, and tasks may take a millisecond.
        LOG.info(() -> item.attempt().id() + ": " + completion.outcome()
                + (completion.message() == null ? "" : " (" + completion.message() + ")")
                + ", exit " + completion.exitCode() + ", wall " + tenths(usage.wallSeconds()) + " s, CPU "
                + tenths(usage.cpuSeconds()) + " s, peak RSS " + usage.peakRssKb() / 1024 + " MiB, in "
                + usage.bytesIn() + " B, out " + usage.bytesOut() + " B"
                + (receipt.accepted() ? "" : "; the server discarded it: " + receipt.message()));
    }

    /** {@code x} rounded to one decimal, as {@code %.1f} writes it. */
    static String tenths(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        return BigDecimal.valueOf(x).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
