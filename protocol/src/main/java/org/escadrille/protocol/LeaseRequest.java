package org.escadrille.protocol;

import java.util.List;

/**
 * A long-polling request for work: up to {@code freeSlots} tasks for slots that are free now, plus up
 * to {@code prefetch} more to queue on the pilot behind its busy slots, waiting at most {@code waitMs}
 * for some to be queued. A pilot prefetches only while its tasks are short, so that a slot that frees
 * up starts the next task without a round trip; the server prefetches no Monte-Carlo task (those
 * must start the moment they are made). {@code cachedInputs} lists the SHA-256 of inputs the pilot
 * already holds, so the matcher can prefer tasks whose data is there.
 */
public record LeaseRequest(int freeSlots, long freeMemoryMb, long waitMs, List<String> cachedInputs, int prefetch) {

    public LeaseRequest {
        if (freeSlots < 0 || prefetch < 0 || freeSlots + prefetch < 1) {
            throw new IllegalArgumentException("ask for at least one task: freeSlots " + freeSlots + ", prefetch " + prefetch);
        }
        if (waitMs < 0) {
            throw new IllegalArgumentException("waitMs must not be negative, got " + waitMs);
        }
        cachedInputs = cachedInputs == null ? List.of() : List.copyOf(cachedInputs);
    }

    /** A request without prefetching. */
    public LeaseRequest(int freeSlots, long freeMemoryMb, long waitMs, List<String> cachedInputs) {
        this(freeSlots, freeMemoryMb, waitMs, cachedInputs, 0);
    }
}
