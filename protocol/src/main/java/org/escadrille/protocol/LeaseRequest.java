package org.escadrille.protocol;

import java.util.List;

/**
 * A long-polling request for work: up to {@code freeSlots} tasks, waiting at most {@code waitMs}
 * for some to be queued. {@code cachedInputs} lists the SHA-256 of inputs the pilot already holds,
 * so the matcher can prefer tasks whose data is there.
 */
public record LeaseRequest(int freeSlots, long freeMemoryMb, long waitMs, List<String> cachedInputs) {

    public LeaseRequest {
        if (freeSlots < 1) {
            throw new IllegalArgumentException("freeSlots must be at least 1, got " + freeSlots);
        }
        if (waitMs < 0) {
            throw new IllegalArgumentException("waitMs must not be negative, got " + waitMs);
        }
        cachedInputs = cachedInputs == null ? List.of() : List.copyOf(cachedInputs);
    }
}
