package org.escadrille.server.execution;

import org.escadrille.server.group.GroupDeleted;
import org.escadrille.server.storage.UserFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A deleted group's shared folder goes with it, so that a new group given the same name inherits none of
 * its files (as it inherits none of its shares). It lives here because storage must not know groups and
 * groups must not know storage; the engine, which launches from both, may.
 */
@Component
class GroupFolderRemoval {
    private static final Logger log = LoggerFactory.getLogger(GroupFolderRemoval.class);
    private final UserFiles files;

    GroupFolderRemoval(UserFiles files) {
        this.files = files;
    }

    /** Once the deletion is committed: a deletion rolled back keeps its files. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void groupDeleted(GroupDeleted deleted) {
        files.deleteGroupFolder(deleted.name());
        log.info("group {} deleted: its shared folder removed", deleted.name());
    }
}
