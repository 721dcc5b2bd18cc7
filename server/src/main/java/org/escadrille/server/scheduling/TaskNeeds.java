package org.escadrille.server.scheduling;

import java.util.Objects;
import java.util.Set;

/**
 * What a queued task needs of a pilot, as the pilot factory sizes sites by it: the tags the pilot
 * must have, the cores (slots) and the memory (MiB; 0 for none) it must have free.
 */
public record TaskNeeds(Set<String> tags, int cores, long memoryMb) {
    public TaskNeeds {
        tags = Set.copyOf(Objects.requireNonNull(tags, "tags"));
    }

    /** A plain task: no tag, one core, no memory requirement. */
    public static TaskNeeds plain() {
        return new TaskNeeds(Set.of(), 1, 0);
    }
}
