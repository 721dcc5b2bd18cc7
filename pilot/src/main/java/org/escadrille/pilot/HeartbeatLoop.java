package org.escadrille.pilot;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatFold;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.Order;

/**
 * Sends one heartbeat for all of the pilot's attempts every interval (and soon after a
 * {@link #nudge()}, at most once a second), and carries out the reply: orders to attempts,
 * draining, the stop when the server forgot the pilot. A fresh session token in a reply is taken
 * up by {@link ServerClient} (rotation).
 *
 * <p>A pilot with no attempt sends no heartbeat while its lease requests are answered (or one waits on the
 * server, or the server told it when to ask again and that time has not come): each lease request already shows the server it is alive, a lease reply brings the fresh session
 * token and the order to drain, and an idle pool's heartbeats were most of its requests (issue 18). Against a
 * server whose lease replies bring no token ({@link PilotSession#leaseRenewsSession()} false: an older one) it
 * skips every other heartbeat only, and heartbeats every second interval for the token (a token lives
 * longer than two intervals).
 *
 * <p>A pilot with attempts folds its heartbeat into its lease requests when the server takes it
 * ({@link PilotSession#leaseTakesStatuses()}), by the rule of {@link HeartbeatFold}: some lease requests carry the
 * statuses ({@link #statusesForLease()}), the grant brings the reply, which is carried out here, and due heartbeats
 * are skipped meanwhile, but never while the server asks for heartbeats sooner (Monte-Carlo tasks) nor the one an
 * attempt's start asks for.
 */
final class HeartbeatLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(HeartbeatLoop.class.getName());
    /** Nudges closer together than this are merged: a burst of starting attempts makes one heartbeat. */
    private static final long MIN_SPACING_MS = 1000;

    private final Clock clock;
    private final ServerClient client;
    private final AttemptRegistry registry;
    private final PilotSession session;
    private final Termination termination;
    private final Semaphore nudges = new Semaphore(0);
    /** The server may ask for the next heartbeat sooner than the usual interval (0: no). */
    private volatile long nextIntervalMs;
    /** When the server last answered a lease request ({@link Long#MIN_VALUE}: never). */
    private volatile long leaseAnsweredMs = Long.MIN_VALUE;
    /** Whether a lease request is on its way or waiting on the server (a long poll). */
    private volatile boolean leasing;
    /** Until when the server told the pilot to ask again later (a lease answered empty with a time to come back). */
    private volatile long quietUntilMs = Long.MIN_VALUE;
    private final HeartbeatFold fold = new HeartbeatFold();

    HeartbeatLoop(Clock clock, ServerClient client, AttemptRegistry registry, PilotSession session,
                  Termination termination) {
        this.clock = clock;
        this.client = client;
        this.registry = registry;
        this.session = session;
        this.termination = termination;
    }

    /**
     * The server answered a lease request: proof enough that it knows the pilot alive; and when it said to ask
     * again only after {@code retryAfterMs}, the pilot idle keeps quiet until then.
     */
    void leaseAnswered(long retryAfterMs) {
        leaseAnswered(retryAfterMs, null);
    }

    /**
     * As {@link #leaseAnswered(long)}, for a request that may have carried the attempts' statuses: {@code folded}
     * is the server's reply to them (orders, stop targets, the next interval), carried out now, or null.
     */
    void leaseAnswered(long retryAfterMs, HeartbeatReply folded) {
        long now = clock.millis();
        leaseAnsweredMs = now;
        quietUntilMs = now + retryAfterMs;
        fold.leaseAnswered();
        if (folded != null) {
            handle(folded);
        }
    }

    /** The statuses the next lease request carries ({@link HeartbeatFold#carry}), or none. */
    List<Heartbeat.AttemptStatus> statusesForLease() {
        return fold.carry(clock.millis(), interval(), folding()) ? statuses() : List.of();
    }

    /** Whether the pilot folds its heartbeat into its lease requests now. */
    private boolean folding() {
        return session.leaseTakesStatuses() && !registry.isEmpty() && nextIntervalMs == 0;
    }

    /** A lease request starts ({@code true}) or ends, answered or not ({@code false}). */
    void leasing(boolean inFlight) {
        leasing = inFlight;
    }

    /** Asks for a heartbeat soon (an attempt started running and the server should see it). */
    void nudge() {
        if (nudges.availablePermits() == 0) {
            nudges.release();
        }
    }

    @Override
    public void run() {
        var backoff = Backoff.standard();
        long lastSentMs = clock.millis();
        boolean skipped = false;
        try {
            while (!termination.isRequested()) {
                long dueMs = lastSentMs + interval();
                boolean nudged = nudges.tryAcquire(Math.max(0, dueMs - clock.millis()), TimeUnit.MILLISECONDS);
                if (nudged) {
                    nudges.drainPermits();
                    long earliest = lastSentMs + MIN_SPACING_MS;
                    if (clock.millis() < earliest) {
                        Thread.sleep(earliest - clock.millis());
                    }
                }
                if (termination.isRequested()) {
                    return;
                }
                boolean leaseShowsAlive = session.leaseRenewsSession()
                        // The quiet time's end plus a moment: the lease request it waited for is on its way then.
                        ? leasing || leaseAnsweredMs >= lastSentMs || clock.millis() < quietUntilMs + MIN_SPACING_MS
                        : !skipped && leaseAnsweredMs >= lastSentMs;
                boolean foldedIntoLeases = folding() && fold.maySkip(clock.millis(), interval(), leasing);
                if (!nudged && (registry.isEmpty() ? leaseShowsAlive : foldedIntoLeases)) {
                    skipped = true;
                    lastSentMs = clock.millis();
                    continue;
                }
                skipped = false;
                lastSentMs = clock.millis();
                fold.heartbeatSent(lastSentMs);
                try {
                    handle(client.heartbeat(heartbeat()));
                    fold.heartbeatAnswered(lastSentMs);
                    backoff.reset();
                } catch (ServerUnreachableException e) {
                    // Try again after the backoff rather than after a whole interval.
                    lastSentMs = clock.millis() - interval() + backoff.nextDelayMs();
                } catch (TokenRejectedException e) {
                    termination.request(Termination.TOKEN_REJECTED, PilotSession.sessionRefused(e.getMessage()));
                } catch (AttemptGoneException e) {
                    LOG.info(() -> "the server does not know this pilot any more");
                    session.register();
                } catch (RequestRefusedException e) {
                    LOG.warning(() -> "heartbeat refused: " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            // The pilot is stopping.
            Thread.currentThread().interrupt();
        }
    }

    private long interval() {
        long requested = nextIntervalMs;
        return requested > 0 ? Math.min(requested, session.heartbeatIntervalMs()) : session.heartbeatIntervalMs();
    }

    private List<Heartbeat.AttemptStatus> statuses() {
        return registry.all().stream().map(Attempt::status).toList();
    }

    private Heartbeat heartbeat() {
        return new Heartbeat(statuses(), registry.freeSlots());
    }

    private synchronized void handle(HeartbeatReply reply) {
        nextIntervalMs = reply.nextHeartbeatMs();
        session.heartbeatInterval(reply.heartbeatIntervalMs());
        for (Order order : reply.orders()) {
            registry.find(order.attemptId()).ifPresent(attempt -> attempt.obey(order.kind()));
        }
        reply.stopAt().forEach((attemptId, events) -> registry.find(attemptId).ifPresent(a -> a.stopAt(events)));
        if (reply.drain()) {
            session.drain("the server asked");
        }
        if (reply.unknownPilot()) {
            LOG.info(() -> "the server does not know this pilot any more, with " + registry.ids().size()
                    + " running attempt(s)");
            session.register();
        }
    }
}
