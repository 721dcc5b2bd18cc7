package org.escadrille.server.scheduling;

import java.util.Set;
import org.escadrille.server.storage.StoredObjectOwner;
import org.springframework.stereotype.Component;

/**
 * Attempts' staging areas and checkpoints ({@link AttemptFiles}): named while their attempt runs. An
 * attempt's end moves what it keeps into its owner's space before the attempt is recorded as ended,
 * so whatever is left under an ended (or unknown) attempt is an orphan: a checkpoint uploaded as the
 * attempt ended, outputs staged by a replica that lost.
 */
@Component
class AttemptFileNames implements StoredObjectOwner {
    private final TaskRepository tasks;

    AttemptFileNames(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @Override
    public Set<String> prefixes() {
        return Set.of(AttemptFiles.STAGING, AttemptFiles.CHECKPOINTS);
    }

    @Override
    public boolean names(String key) {
        String[] segments = key.split("/", 3);
        return segments.length == 3 && tasks.attemptIsLive(segments[1]);
    }
}
