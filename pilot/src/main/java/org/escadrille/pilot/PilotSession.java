package org.escadrille.pilot;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.PilotRegistration;

/**
 * The pilot's standing with the server: its registration (once: the registration token is spent by
 * it), whether it drains, and whether it is orphaned (the server gone for the orphan timeout while
 * nothing runs).
 */
final class PilotSession {
    private static final Logger LOG = Logger.getLogger(PilotSession.class.getName());

    private final PilotOptions options;
    private final String host;
    private final String version;
    private final ServerClient client;
    private final AttemptRegistry registry;
    private final Termination termination;
    private final ServerReachability reachability;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final boolean sandboxed;
    private volatile PilotRegistered registered;
    /** The interval the server told since the registration (0: none: the registration's). */
    private volatile long pacedIntervalMs;

    /** @param sandboxed whether host tasks run in a sandbox (the server may give tasks only to such pilots) */
    PilotSession(PilotOptions options, String host, String version, ServerClient client, AttemptRegistry registry,
                 Termination termination, ServerReachability reachability, boolean sandboxed) {
        this.sandboxed = sandboxed;
        this.options = options;
        this.host = host;
        this.version = version;
        this.client = client;
        this.registry = registry;
        this.termination = termination;
        this.reachability = reachability;
    }

    /**
     * Registers, retrying while the server is unreachable. Attempts the server does not adopt are
     * dropped. Returns false when the pilot must stop instead (its {@link Termination} says why): a
     * registration token is good for one registration, so a pilot the server no longer knows cannot
     * register again; it stops, and the server requeues its tasks as their leases expire.
     */
    synchronized boolean register() {
        if (registered != null) {
            termination.request(Termination.TOKEN_REJECTED, "the server no longer knows pilot " + registered.pilotId()
                    + "; its registration token was good for one registration, so it cannot register again");
            return false;
        }
        var backoff = Backoff.standard();
        while (!termination.isRequested()) {
            List<String> running = registry.ids();
            try {
                PilotRegistered answer = client.register(new PilotRegistration(host, options.slots(),
                        options.memoryMb(), options.tags(), version, System.getProperty("java.version"), running,
                        sandboxed, CpuModel.ofThisHost()));
                registered = answer;
                pacedIntervalMs = 0;
                LOG.info(() -> "registered as pilot " + answer.pilotId() + " (heartbeat every "
                        + answer.heartbeatIntervalMs() + " ms, lease " + answer.leaseMs() + " ms"
                        + (running.isEmpty() ? "" : ", " + answer.adoptedAttempts().size() + " of "
                        + running.size() + " attempt(s) adopted") + ")");
                var adopted = new HashSet<>(answer.adoptedAttempts());
                registry.all().stream().filter(attempt -> !adopted.contains(attempt.id()))
                        .forEach(attempt -> attempt.drop("not adopted by the server after it restarted"));
                return true;
            } catch (ServerUnreachableException e) {
                if (checkOrphaned()) {
                    return false;
                }
                sleep(backoff.nextDelayMs());
            } catch (TokenRejectedException e) {
                termination.request(Termination.TOKEN_REJECTED, "the server refused the registration token: " + e.getMessage());
            } catch (RequestRefusedException | AttemptGoneException e) {
                termination.request(Termination.FAILED, "the server refused the registration: " + e.getMessage());
            }
        }
        return false;
    }

    /** The words for a stop because the server refused the session token: the pilot cannot get another. */
    static String sessionRefused(String detail) {
        return "the server refused the pilot's session token (expired or revoked); a pilot cannot get a new one,"
                + " so it stops and the server requeues its tasks when their leases expire: " + detail;
    }

    /** Requests the stop when the server has been gone for the orphan timeout and nothing runs. */
    boolean checkOrphaned() {
        if (registry.isEmpty() && reachability.unreachableForMs() >= options.orphanTimeout().toMillis()) {
            termination.request(Termination.DONE, "server unreachable for " + options.orphanTimeout().toSeconds()
                    + " s with nothing running");
            return true;
        }
        return false;
    }

    /** False while the server is unreachable: a bye would be wasted. */
    boolean serverReachable() {
        return reachability.unreachableForMs() == 0;
    }

    boolean registered() {
        return registered != null;
    }

    long heartbeatIntervalMs() {
        long paced = pacedIntervalMs;
        if (paced > 0) {
            return paced;
        }
        PilotRegistered current = registered;
        return current == null ? 30_000 : current.heartbeatIntervalMs();
    }

    /**
     * The server told the heartbeat interval from now on (a heartbeat reply or a lease grant; 0: it said nothing,
     * as older servers): it lengthens the interval, and the leases with it, while many pilots run tasks.
     */
    void heartbeatInterval(long intervalMs) {
        if (intervalMs > 0 && intervalMs != pacedIntervalMs) {
            long before = heartbeatIntervalMs();
            pacedIntervalMs = intervalMs;
            LOG.fine(() -> "heartbeat every " + intervalMs + " ms (was " + before + " ms), as the server asks");
        }
    }

    /** Whether lease replies bring fresh session tokens, so that a pilot running nothing need not heartbeat. */
    boolean leaseRenewsSession() {
        PilotRegistered current = registered;
        return current != null && current.leaseRenewsSession();
    }

    /** Whether lease requests may carry the attempts' statuses in place of a heartbeat. */
    boolean leaseTakesStatuses() {
        PilotRegistered current = registered;
        return current != null && current.leaseTakesStatuses();
    }

    boolean draining() {
        return draining.get();
    }

    void drain(String why) {
        if (draining.compareAndSet(false, true)) {
            LOG.info(() -> "draining (" + why + "): no new tasks, " + registry + " to finish");
        }
    }

    private void sleep(long ms) {
        try {
            termination.await(Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            termination.request(Termination.DONE, "interrupted");
        }
    }
}
