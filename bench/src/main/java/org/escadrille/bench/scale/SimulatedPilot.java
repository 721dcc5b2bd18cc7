package org.escadrille.bench.scale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatFold;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.ResourceUsage;
import org.escadrille.protocol.TaskAssignment;

/**
 * One pilot as the server sees it, without processes: registers (spending its registration token for a
 * session token), heartbeats on its own virtual thread (taking up each fresh session token) at the interval the
 * server gives (its registration's, then whatever its replies and grants tell, as the real pilot does),
 * long-polls for one task at a time, "runs" it by sleeping, and completes it SUCCEEDED (as the real pilot
 * does: its reporter thread sends the completions gathered meanwhile in one batch, while the slot,
 * free again, leases the next task); a call the
 * server sheds is sent again after its Retry-After plus jitter, and a lease answered empty with a time to
 * ask again waits that long; idle, it sends no heartbeat while its lease requests are answered or one waits
 * on the server, and takes up the fresh session tokens lease replies bring, as the real pilot does (against a
 * server whose registration does not say {@code leaseRenewsSession}, it skips every other heartbeat only).
 * With attempts (one running, or ended and waiting for their completions to be taken), it folds its heartbeat
 * into its lease requests by the real pilot's rule ({@link HeartbeatFold}) when the server takes them
 * ({@code leaseTakesStatuses}). Stops when interrupted (the run's end).
 */
final class SimulatedPilot implements Runnable {
    /** What every pilot of one step adds to. */
    static final class Tally {
        final LongAdder registered = new LongAdder();
        final LongAdder completed = new LongAdder();
        /** Completions answered since the start, the window's and those before it. */
        final LongAdder completedAll = new LongAdder();
        final LongAdder emptyLeases = new LongAdder();
        /** Empty grants that said when to ask again (the server's bound on waiting lease requests reached). */
        final LongAdder toldToComeBack = new LongAdder();
        final LongAdder heartbeats = new LongAdder();
        /** Client-side time of each lease answered with a task, in microseconds (request to answer, long-poll wait included). */
        final ConcurrentLinkedQueue<Long> grantedLeaseMicros = new ConcurrentLinkedQueue<>();
        final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
        /** 503s (and 429s) with Retry-After, by call: the server shedding load, each followed by a retry. */
        final ConcurrentHashMap<String, LongAdder> shed = new ConcurrentHashMap<>();
        volatile boolean measuring;
        /**
         * Requests in flight from this generator at once: each holds a socket, and the process's open files are
         * capped (20,000 here); pilots on many hosts would not share that limit, so beyond it a pilot waits here.
         */
        final Semaphore inFlight;

        Tally() {
            this(Integer.MAX_VALUE);
        }

        Tally(int maxInFlight) {
            inFlight = new Semaphore(maxInFlight);
        }

        void error(String kind) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        void shed(String call) {
            shed.computeIfAbsent(call, k -> new LongAdder()).increment();
        }

        long shedCount(String call) {
            var count = shed.get(call);
            return count == null ? 0 : count.sum();
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    /** The registration token until the registration answers, then the newest session token (each heartbeat may bring one). */
    private volatile String token;
    private final String host;
    private final long waitMs;
    /** The heartbeat interval: the server's, from the registration, then as its replies and grants pace it. */
    private volatile long heartbeatMs;
    private final Tally tally;
    private final Work work;
    private volatile String running;
    /** Completions waiting for the reporter thread. */
    private final LinkedBlockingQueue<CompletionBatch.Item> toReport = new LinkedBlockingQueue<>();
    /** Attempts ended and not yet answered for: heartbeats list them (UPLOADING), as the real pilot's do, so their leases live on. */
    private final Set<String> unreported = ConcurrentHashMap.newKeySet();
    /** When the last lease answer came ({@link System#nanoTime()}). */
    private volatile long leaseAnsweredNanos = Long.MIN_VALUE;
    /** Whether a lease request is on its way or waiting on the server. */
    private volatile boolean leasing;
    /** Until when ({@link System#nanoTime()}) the server told it to come back later, idle. */
    private volatile long quietUntilNanos = System.nanoTime();
    /** Whether the server said its lease replies renew the session (no heartbeat needed while idle). */
    private volatile boolean leaseRenewsSession;
    /** Whether the server said lease requests may carry the attempts' statuses in place of a heartbeat. */
    private volatile boolean leaseTakesStatuses;
    /** Which lease requests carry the statuses and which heartbeats are skipped, on {@link #nowMs()}'s clock. */
    private final HeartbeatFold fold = new HeartbeatFold();

    /** What a pilot does with a task between its lease and its completion. */
    interface Work {
        /** @param token the pilot's session token now, for the calls a task makes (its inputs) */
        void run(TaskAssignment task, String token) throws InterruptedException;
    }

    SimulatedPilot(HttpClient http, String baseUrl, String token, String host, long waitMs, long taskMs, long heartbeatMs, Tally tally) {
        this(http, baseUrl, token, host, waitMs, heartbeatMs, tally, (task, session) -> Thread.sleep(taskMs));
    }

    SimulatedPilot(HttpClient http, String baseUrl, String token, String host, long waitMs, long heartbeatMs, Tally tally, Work work) {
        this.work = work;
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
        this.host = host;
        this.waitMs = waitMs;
        this.heartbeatMs = heartbeatMs;
        this.tally = tally;
    }

    @Override
    public void run() {
        Thread heartbeat = null;
        Thread reporter = null;
        try {
            while (!register()) {
                Thread.sleep(1_000);
            }
            heartbeat = Thread.ofVirtual().start(this::heartbeats);
            reporter = Thread.ofVirtual().start(this::report);
            while (!Thread.currentThread().isInterrupted()) {
                long asked = System.nanoTime();
                // Only leases asked for once the sweep is queued: earlier ones waited for work, not for the server.
                boolean timed = tally.measuring;
                leasing = true;
                byte[] body;
                try {
                    body = post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, waitMs, List.of(), 0, statusesForLease()),
                            waitMs + 30_000);
                } finally {
                    leasing = false;
                }
                if (body == null) {
                    Thread.sleep(1_000);
                    continue;
                }
                fold.leaseAnswered();
                LeaseGrant grant = ProtocolJson.read(body, LeaseGrant.class);
                useToken(grant.sessionToken());
                useInterval(grant.heartbeatIntervalMs());
                if (grant.heartbeat() != null) {
                    useInterval(grant.heartbeat().heartbeatIntervalMs());
                }
                leaseAnsweredNanos = System.nanoTime();
                if (grant.drain()) {
                    tally.error("drained");
                    return;
                }
                if (grant.tasks().isEmpty()) {
                    if (tally.measuring) {
                        tally.emptyLeases.increment();
                    }
                    if (grant.retryAfterMs() > 0) {
                        // As the real pilot does: the server holds as many waiting requests as it will, and
                        // asked it to keep quiet until then (no heartbeat while idle).
                        quietUntilNanos = System.nanoTime() + grant.retryAfterMs() * 1_000_000;
                        if (tally.measuring) {
                            tally.toldToComeBack.increment();
                        }
                        Thread.sleep(grant.retryAfterMs());
                    }
                    continue;
                }
                if (timed && tally.measuring) {
                    tally.grantedLeaseMicros.add((System.nanoTime() - asked) / 1_000);
                }
                for (TaskAssignment task : grant.tasks()) {
                    running = task.attemptId();
                    long started = System.currentTimeMillis();
                    work.run(task, token);
                    var completion = new Completion(Completion.Outcome.SUCCEEDED, 0, null, started, System.currentTimeMillis(), -1,
                            ResourceUsage.NONE);
                    unreported.add(task.attemptId());
                    running = null;
                    toReport.add(new CompletionBatch.Item(task.attemptId(), completion));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (heartbeat != null) {
                heartbeat.interrupt();
            }
            if (reporter != null) {
                reporter.interrupt();
            }
        }
    }

    /** The reporter thread: sends what completions have gathered in one batch, again until the server takes them. */
    private void report() {
        try {
            while (true) {
                var batch = new ArrayList<CompletionBatch.Item>();
                batch.add(toReport.take());
                toReport.drainTo(batch);
                while (post(PilotProtocol.COMPLETIONS, new CompletionBatch(batch), 30_000) == null) {
                    Thread.sleep(1_000);
                }
                batch.forEach(item -> unreported.remove(item.attemptId()));
                tally.completedAll.add(batch.size());
                if (tally.measuring) {
                    tally.completed.add(batch.size());
                }
            }
        } catch (InterruptedException e) {
            // the run's end
        }
    }

    /** Registers, sending the registration again while the server sheds it; false on any other failure. */
    boolean register() throws InterruptedException {
        byte[] registered = post(PilotProtocol.REGISTER, new PilotRegistration(host, 1, 1024, List.of(), "bench", "25", List.of()), 30_000);
        if (registered == null) {
            return false;
        }
        var answer = ProtocolJson.read(registered, PilotRegistered.class);
        useToken(answer.sessionToken());
        heartbeatMs = answer.heartbeatIntervalMs();
        leaseRenewsSession = answer.leaseRenewsSession();
        leaseTakesStatuses = answer.leaseTakesStatuses();
        tally.registered.increment();
        return true;
    }

    private void heartbeats() {
        try {
            boolean skipped = false;
            long sentNanos = System.nanoTime();
            while (true) {
                Thread.sleep(heartbeatMs);
                String attempt = running;
                boolean leaseShowsAlive = leaseRenewsSession
                        ? leasing || leaseAnsweredNanos - sentNanos >= 0 || System.nanoTime() - quietUntilNanos < 0
                        : !skipped && leaseAnsweredNanos - sentNanos >= 0;
                boolean idle = attempt == null && unreported.isEmpty();
                if (idle ? leaseShowsAlive : leaseTakesStatuses && fold.maySkip(nowMs(), heartbeatMs, leasing)) {
                    // As the real pilot does: a pilot whose lease requests show it alive (idle) or carry its
                    // attempts' statuses (busy) sends no heartbeat.
                    skipped = true;
                    sentNanos = System.nanoTime();
                    continue;
                }
                skipped = false;
                sentNanos = System.nanoTime();
                long sentMs = nowMs();
                fold.heartbeatSent(sentMs);
                byte[] reply = post(PilotProtocol.HEARTBEAT, new Heartbeat(statuses(attempt), attempt == null ? 1 : 0), 30_000);
                if (reply != null) {
                    var answer = ProtocolJson.read(reply, HeartbeatReply.class);
                    useToken(answer.sessionToken());
                    useInterval(answer.heartbeatIntervalMs());
                    fold.heartbeatAnswered(sentMs);
                    tally.heartbeats.increment();
                }
            }
        } catch (InterruptedException e) {
            // the run's end
        }
    }

    /** The running attempt's status and those of the attempts ended and not yet answered for. */
    private List<Heartbeat.AttemptStatus> statuses(String attempt) {
        var statuses = new ArrayList<Heartbeat.AttemptStatus>();
        if (attempt != null) {
            statuses.add(new Heartbeat.AttemptStatus(attempt, Heartbeat.Phase.RUNNING, -1, 0));
        }
        for (String ended : unreported) {
            if (!ended.equals(attempt)) {
                statuses.add(new Heartbeat.AttemptStatus(ended, Heartbeat.Phase.UPLOADING, -1, 0));
            }
        }
        return statuses;
    }

    /** The statuses the next lease request carries ({@link HeartbeatFold#carry}), or none. */
    private List<Heartbeat.AttemptStatus> statusesForLease() {
        String attempt = running;
        boolean folding = leaseTakesStatuses && (attempt != null || !unreported.isEmpty());
        return fold.carry(nowMs(), heartbeatMs, folding) ? statuses(attempt) : List.of();
    }

    /** A monotonic clock in milliseconds. */
    private static long nowMs() {
        return System.nanoTime() / 1_000_000;
    }

    /** As the real pilot: an interval the server tells replaces the one before (0: it told none). */
    private void useInterval(long intervalMs) {
        if (intervalMs > 0) {
            heartbeatMs = intervalMs;
        }
    }

    private void useToken(String fresh) {
        if (fresh != null) {
            token = fresh;
        }
    }

    /**
     * The answer's body, or null after counting the failure (a status other than 200, or an I/O error). A
     * call the server sheds (503 or 429 with Retry-After) is sent again, as the real pilot does, after the
     * wait asked for plus full jitter over a window of 250 ms doubling to 5 s; it counts as shed, not failed.
     */
    private byte[] post(String path, Object message, long timeoutMs) throws InterruptedException {
        String what = path.equals(PilotProtocol.COMPLETIONS) || path.startsWith(PilotProtocol.ATTEMPTS) ? "complete"
                : path.substring(PilotProtocol.BASE_PATH.length() + 1);
        byte[] body = ProtocolJson.write(message);
        long windowMs = 250;
        while (true) {
            HttpResponse<byte[]> response;
            tally.inFlight.acquire();
            try {
                // The token once a place is free, not before: a request that waited here longer than a replaced
                // token's grace (a minute) while the pilot's other threads took up its successor was refused 401.
                var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header(PilotProtocol.AUTHORIZATION, "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofMillis(timeoutMs))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                tally.error(what + " " + e.getClass().getSimpleName() + brief(e));
                return null;
            } finally {
                tally.inFlight.release();
            }
            int status = response.statusCode();
            var retryAfter = response.headers().firstValue("Retry-After");
            if ((status == 503 || status == 429) && retryAfter.isPresent() && retryAfter.get().matches("\\d{1,6}")) {
                tally.shed(what);
                Thread.sleep(Long.parseLong(retryAfter.get()) * 1_000 + ThreadLocalRandom.current().nextLong(windowMs + 1));
                windowMs = Math.min(5_000, windowMs * 2);
                continue;
            }
            if (status != 200) {
                tally.error(what + " HTTP " + status + detail(response.body()));
                return null;
            }
            return response.body();
        }
    }

    /** A problem document's detail, numbers masked and cut short (the server says why it refused), or "" if none. */
    static String detail(byte[] body) {
        String said;
        try {
            said = ProtocolJson.mapper().readTree(body).path("detail").asString("");
        } catch (RuntimeException notJson) {
            return "";
        }
        said = said.replaceAll("[0-9]+", "N");
        return said.isEmpty() ? "" : " (" + said.substring(0, Math.min(100, said.length())) + ")";
    }

    /** The first line of an exception's message, numbers masked and cut short, so that the errors of one cause count together. */
    private static String brief(IOException e) {
        String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("").replaceAll("[0-9]+", "N");
        return first.isEmpty() ? "" : " (" + first.substring(0, Math.min(60, first.length())) + ")";
    }
}
