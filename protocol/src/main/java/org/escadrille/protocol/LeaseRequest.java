package org.escadrille.protocol;

import java.util.List;

/**
 * A long-polling request for work: up to {@code freeSlots} tasks for slots that are free now, plus up
 * to {@code prefetch} more to queue on the pilot behind its busy slots, waiting at most {@code waitMs}
 * for some to be queued. A pilot prefetches only while its tasks are short, so that a slot that frees
 * up starts the next task without a round trip; the server prefetches no Monte-Carlo task (those
 * must start the moment they are made). {@code cachedInputs} lists the SHA-256 of inputs the pilot
 * already holds, so the matcher can prefer tasks whose data is there.
 *
 * <p>{@code attempts} folds a heartbeat into the request (issue 18: a busy pilot's heartbeats were a fifth of
 * the calls per task at 10,000 pilots): the statuses of the pilot's attempts, as a {@link Heartbeat} lists them,
 * sent to a server that takes them ({@link PilotRegistered#leaseTakesStatuses()}). The server renews their
 * leases and records their progress as a heartbeat's would when the request arrives, and the grant carries
 * the heartbeat's reply ({@link LeaseGrant#heartbeat()}). Empty: no heartbeat folded in.
 */
public record LeaseRequest(int freeSlots, long freeMemoryMb, long waitMs, List<String> cachedInputs, int prefetch,
                           List<Heartbeat.AttemptStatus> attempts) {

    public LeaseRequest {
        if (freeSlots < 0 || prefetch < 0 || freeSlots + prefetch < 1) {
            throw new IllegalArgumentException("ask for at least one task: freeSlots " + freeSlots + ", prefetch " + prefetch);
        }
        if (waitMs < 0) {
            throw new IllegalArgumentException("waitMs must not be negative, got " + waitMs);
        }
        cachedInputs = cachedInputs == null ? List.of() : List.copyOf(cachedInputs);
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A request with no heartbeat folded in. */
    public LeaseRequest(int freeSlots, long freeMemoryMb, long waitMs, List<String> cachedInputs, int prefetch) {
        this(freeSlots, freeMemoryMb, waitMs, cachedInputs, prefetch, List.of());
    }

    /** This request without the heartbeat folded in: what a long poll keeps while it waits. */
    public LeaseRequest withoutAttempts() {
        return attempts.isEmpty() ? this : new LeaseRequest(freeSlots, freeMemoryMb, waitMs, cachedInputs, prefetch, List.of());
    }

    /** A request without prefetching. */
    public LeaseRequest(int freeSlots, long freeMemoryMb, long waitMs, List<String> cachedInputs) {
        this(freeSlots, freeMemoryMb, waitMs, cachedInputs, 0, List.of());
    }
}
