package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.TaskAssignment;

/**
 * The pilot's life: register, then lease tasks for free slots (one long poll at a time) and run each
 * on a slot thread while {@link HeartbeatLoop} reports on them, until drained, idle, near its batch
 * time limit, orphaned, told to stop or refused; then stop the attempts left and say bye.
 */
final class Pilot {
    private static final Logger LOG = Logger.getLogger(Pilot.class.getName());
    static final long LEASE_WAIT_MS = 20_000;
    private static final Duration SLOT_CHECK = Duration.ofSeconds(1);
    /** How much work (by the recent median) a pilot keeps queued per slot while its tasks are short. */
    private static final long QUEUED_WORK_MS = 250;
    private static final long MAX_QUEUED_PER_SLOT = 64;
    /** The longest a server may make the pilot wait before its next lease request. */
    static final long MAX_RETRY_AFTER_MS = 5 * 60_000;


    private final PilotOptions options;
    private final Clock clock;
    private final ServerClient client;
    private final PilotSession session;
    private final AttemptRegistry registry;
    private final Termination termination;
    private final HeartbeatLoop heartbeats;
    private final AttemptContext attempts;
    private final ExecutorService slotThreads;
    private final Duration stopGrace;
    private final AtomicLong lastBusyMs;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread heartbeatThread;
    private final Thread reporterThread;
    private final RecentRuns recentRuns;
    private final BatchTimeLimit timeLimit;
    /**
     * The slots as cores: an attempt takes its task's cores before it starts (fairly, in the order its
     * slot thread asks). A task of
     * 4 cores runs on one slot thread, so without this the threads it leaves idle would start tasks
     * queued behind the slots on cores it uses.
     */
    private final Semaphore cores;
    private boolean timeLimitNear;

    /**
     * @param stopGrace  how long attempts killed at the pilot's stop get to exit
     * @param recentRuns how long recent commands ran: while they are short, tasks are queued behind the slots
     * @param timeLimit  the batch job's limit: near it, the pilot leases nothing more and leaves once its tasks end
     */
    Pilot(PilotOptions options, Clock clock, ServerClient client, PilotSession session, AttemptRegistry registry,
          Termination termination, HeartbeatLoop heartbeats, AttemptContext attempts, ExecutorService slotThreads,
          Duration stopGrace, RecentRuns recentRuns, BatchTimeLimit timeLimit) {
        this.options = options;
        this.clock = clock;
        this.client = client;
        this.session = session;
        this.registry = registry;
        this.termination = termination;
        this.heartbeats = heartbeats;
        this.attempts = attempts;
        this.slotThreads = slotThreads;
        this.stopGrace = stopGrace;
        this.recentRuns = recentRuns;
        this.timeLimit = timeLimit;
        this.cores = new Semaphore(options.slots(), true);
        this.lastBusyMs = new AtomicLong(clock.millis());
        this.heartbeatThread = new Thread(heartbeats, "heartbeat");
        this.heartbeatThread.setDaemon(true);
        this.reporterThread = new Thread(attempts.reporter(), "completions");
        this.reporterThread.setDaemon(true);
    }

    /** Runs until the pilot must stop; returns its exit code. */
    int run() {
        LOG.info(() -> "pilot on " + attempts.host() + ": server " + options.server() + ", " + options.slots()
                + " slot(s), " + options.memoryMb() + " MiB, work dir " + attempts.workRoot()
                + (options.tags().isEmpty() ? "" : ", tags " + options.tags())
                + ", container runtime " + attempts.containerRuntime().map(ContainerRuntime::name).orElse("none"));
        if (session.register()) {
            heartbeatThread.start();
            reporterThread.start();
            leaseUntilStopped();
        }
        stop(Termination.DONE, "done");
        return termination.exitCode();
    }

    /**
     * Stops leasing, kills and drops the attempts still running (the server requeues them), and says
     * bye when the server is still worth talking to. Safe to call from any thread, more than once:
     * the first call decides the exit code.
     */
    void stop(int exitCode, String why) {
        if (!stopping.compareAndSet(false, true)) {
            awaitQuietly(stopped);
            return;
        }
        try {
            termination.request(exitCode, why);
            // Attempts whose completion is on its way are left to the reporter; the others are killed.
            List<Attempt> running = registry.all();
            running.stream().filter(attempt -> !attempt.reportPending()).forEach(attempt -> attempt.drop("the pilot is stopping"));
            if (!running.isEmpty() && !registry.awaitEmpty(stopGrace)) {
                LOG.warning(() -> registry + " still busy after " + stopGrace.toSeconds() + " s, leaving them");
            }
            heartbeatThread.interrupt();
            reporterThread.interrupt();
            slotThreads.shutdownNow();
            attempts.logTicks().shutdownNow();
            int code = termination.exitCode();
            if (code != Termination.TOKEN_REJECTED && code != Termination.FAILED && session.registered()
                    && session.serverReachable()) {
                sayBye();
            }
            removeTemporaryWorkRoot();
            LOG.info(() -> "pilot stopped (exit code " + code + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private void leaseUntilStopped() {
        var backoff = Backoff.standard();
        while (!termination.isRequested()) {
            try {
                if (!registry.isEmpty()) {
                    lastBusyMs.set(clock.millis());
                }
                if (session.draining()) {
                    if (registry.isEmpty()) {
                        termination.request(Termination.DONE, "drained");
                    } else {
                        registry.awaitEmpty(SLOT_CHECK);
                    }
                    continue;
                }
                if (!timeLimit.allowsLeasing()) {
                    finishBeforeTheTimeLimit();
                    continue;
                }
                long idleMs = clock.millis() - lastBusyMs.get();
                if (!options.idleTimeout().isZero() && registry.isEmpty() && idleMs >= options.idleTimeout().toMillis()) {
                    termination.request(Termination.DONE, "idle for " + options.idleTimeout().toSeconds() + " s");
                    continue;
                }
                // One reading: a slot freeing between two would make the request ask to queue a task.
                int occupied = registry.occupied();
                int free = Math.max(0, registry.slots() - occupied);
                int queue = prefetch();
                // Lease when a slot is free or, with a queue behind the slots, once a slots' worth or half
                // of it (whichever is more) is gone: each request then brings that many.
                int refill = Math.max(registry.slots(), queue / 2);
                int leaseBelow = Math.max(registry.slots(), registry.slots() + queue - refill + 1);
                if (occupied >= leaseBelow) {
                    registry.awaitRoom(leaseBelow, SLOT_CHECK);
                    continue;
                }
                int wanted = registry.slots() + queue - occupied;
                long waitMs = free > 0 ? LEASE_WAIT_MS : SLOT_CHECK.toMillis();
                if (!options.idleTimeout().isZero() && registry.isEmpty()) {
                    // Come back in time to notice the idle timeout.
                    waitMs = Math.max(0, Math.min(waitMs, options.idleTimeout().toMillis() - idleMs));
                }
                // And in time to stop leasing before the batch time limit.
                waitMs = Math.max(0, Math.min(waitMs, timeLimit.leaseWindowMs()));
                long freeMemoryMb = Math.max(0, options.memoryMb() - registry.heldMemoryMb());
                LeaseGrant grant;
                heartbeats.leasing(true);
                try {
                    grant = client.lease(new LeaseRequest(free, freeMemoryMb, waitMs, List.of(), wanted - free,
                            heartbeats.statusesForLease()));
                } finally {
                    heartbeats.leasing(false);
                }
                backoff.reset();
                // Before the tasks start: their leases go with this interval.
                session.heartbeatInterval(grant.heartbeatIntervalMs());
                heartbeats.leaseAnswered(grant.tasks().isEmpty() ? grant.retryAfterMs() : 0, grant.heartbeat());
                grant.tasks().forEach(this::start);
                if (grant.drain()) {
                    session.drain("the server asked");
                } else if (grant.tasks().isEmpty() && grant.retryAfterMs() > 0) {
                    // The server holds as many waiting requests as it will: ask again when it said (issue 18).
                    pause(untilNextLease(grant.retryAfterMs()));
                }
            } catch (ServerUnreachableException e) {
                if (!session.checkOrphaned()) {
                    pause(backoff.nextDelayMs());
                }
            } catch (TokenRejectedException e) {
                termination.request(Termination.TOKEN_REJECTED, PilotSession.sessionRefused(e.getMessage()));
            } catch (AttemptGoneException e) {
                LOG.info(() -> "the server does not know this pilot any more");
                if (session.register()) {
                    pause(backoff.nextDelayMs());
                }
            } catch (RequestRefusedException e) {
                LOG.warning(() -> "lease refused: " + e.getMessage());
                pause(backoff.nextDelayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                termination.request(Termination.DONE, "interrupted");
            }
        }
    }

    /** How long to wait before the next lease request when told to come back later: no longer than the idle timeout or time limit allow. */
    private long untilNextLease(long retryAfterMs) {
        long pauseMs = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
        if (!options.idleTimeout().isZero() && registry.isEmpty()) {
            pauseMs = Math.min(pauseMs, options.idleTimeout().toMillis() - (clock.millis() - lastBusyMs.get()));
        }
        return Math.max(0, Math.min(pauseMs, timeLimit.leaseWindowMs()));
    }

    private void start(TaskAssignment task) {
        lastBusyMs.set(clock.millis());
        Attempt attempt;
        try {
            attempt = new Attempt(task, attempts, this::ended);
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "refusing task " + task.taskId() + ": " + e.getMessage());
            return;
        }
        if (registry.find(attempt.id()).isPresent()) {
            LOG.warning(() -> "attempt " + attempt.id() + " leased again while it runs here, ignored");
            return;
        }
        registry.add(attempt);
        timeLimit.leased(attempt.id(), attempt.expectedMs());
        int needed = Math.min(attempt.cores(), options.slots());
        slotThreads.execute(() -> {
            try {
                cores.acquire(needed);
            } catch (InterruptedException e) {
                // The pilot is stopping: the attempt, dropped, never starts.
                Thread.currentThread().interrupt();
                ended(attempt);
                return;
            }
            try {
                attempt.run();
            } finally {
                cores.release(needed);
            }
        });
    }

    /**
     * Near the batch time limit: lease nothing more, let the attempts running end (the batch system,
     * not the pilot, kills one that outlives the limit), then leave. Called by the leasing loop.
     */
    private void finishBeforeTheTimeLimit() throws InterruptedException {
        if (!timeLimitNear) {
            timeLimitNear = true;
            LOG.info(() -> "batch time limit in " + timeLimit.left().toSeconds() + " s, longest task so far "
                    + timeLimit.longestTask().toSeconds() + " s: leasing no more"
                    + (registry.isEmpty() ? "" : ", finishing " + registry));
        }
        if (registry.isEmpty()) {
            termination.request(Termination.DONE, "the batch time limit is near");
        } else {
            registry.awaitEmpty(SLOT_CHECK);
        }
    }

    private void ended(Attempt attempt) {
        lastBusyMs.set(clock.millis());
        timeLimit.ended(attempt.id());
        if (attempt.ranMs() >= 0) {
            recentRuns.ran(attempt.ranMs());
        }
        if (attempt.reportPending()) {
            registry.release(attempt);
        } else {
            registry.remove(attempt);
        }
    }

    /**
     * Tasks to keep queued behind the slots: none while tasks are long (or not known yet); for short
     * ones about {@value #QUEUED_WORK_MS} ms of work per slot, between 2 and {@value #MAX_QUEUED_PER_SLOT}
     * tasks a slot. The tinier the tasks, the more per lease request, so the requests stay few; the
     * queue never holds more than a fraction of a second of work another pilot could have run.
     */
    private int prefetch() {
        if (!recentRuns.areShort()) {
            return 0;
        }
        long perSlot = QUEUED_WORK_MS / Math.max(1, recentRuns.medianMs());
        return (int) Math.max(2, Math.min(MAX_QUEUED_PER_SLOT, perSlot)) * options.slots();
    }

    private void removeTemporaryWorkRoot() {
        attempts.spares().clear();
        if (options.workDir() == null && !options.keepWorkdirs()) {
            try {
                Files.deleteIfExists(attempts.workRoot());
            } catch (IOException e) {
                // Not empty: an attempt that would not die still holds its directory; leave it.
            }
        }
    }

    private void sayBye() {
        try {
            client.bye();
            LOG.info("said bye to the server");
        } catch (RuntimeException e) {
            LOG.info(() -> "could not say bye: " + e.getMessage());
        }
    }

    private void pause(long ms) {
        try {
            termination.await(Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            termination.request(Termination.DONE, "interrupted");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
