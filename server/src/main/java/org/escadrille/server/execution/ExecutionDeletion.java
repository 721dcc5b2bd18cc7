package org.escadrille.server.execution;

import java.time.Clock;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.montecarlo.MonteCarloRuns;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Deletes executions, by their owner or an admin (another user's execution is not found). A running
 * execution is killed first. The execution disappears from every list, page and API; its row stays
 * as a tombstone (its tasks and attempts count in the platform's use, and a pilot may still be
 * finishing one of its tasks). Like CARMIN's {@code deleteFiles}, its outputs under its folder go too
 * when asked.
 */
@Service
public class ExecutionDeletion {
    private static final Logger log = LoggerFactory.getLogger(ExecutionDeletion.class);

    private final ExecutionRepository executions;
    private final Scheduler scheduler;
    private final MonteCarloRuns monteCarlo;
    private final UserFiles files;
    private final Clock clock;

    ExecutionDeletion(ExecutionRepository executions, Scheduler scheduler, MonteCarloRuns monteCarlo, UserFiles files,
                      Clock clock) {
        this.monteCarlo = monteCarlo;
        this.clock = clock;
        this.executions = executions;
        this.scheduler = scheduler;
        this.files = files;
    }

    public void delete(Account caller, String id, boolean deleteFiles) {
        var row = executions.findVisible(id)
                .filter(found -> found.ownerId().equals(caller.id()) || caller.isAdmin())
                .orElseThrow(() -> new NotFoundException("no execution " + id + " (among yours)"));
        delete(row, caller.username(), deleteFiles);
    }

    /** Deletes an ended execution with its files because it passed the retention period ({@link ResultRetention}). */
    void expire(String id) {
        executions.findVisible(id).ifPresent(row -> delete(row, "retention", true));
    }

    private void delete(ExecutionRepository.Row row, String by, boolean deleteFiles) {
        String id = row.id();
        long now = clock.millis();
        // Deleted before it is killed, so that the end it publishes says so (its owner is not sent to a page that is gone).
        executions.markDeleted(id, now);
        if (!row.status().isTerminal()) {
            executions.transition(id, ExecutionStatus.Killed, "killed by " + by + " to delete it", now);
            monteCarlo.killed(id);
            scheduler.cancelExecution(id);
        }
        if (deleteFiles) {
            var owner = new Account(row.ownerId(), row.ownerName(), Account.Role.USER);
            var folder = UserPath.of(row.outputDir());
            if (files.exists(owner, folder)) {
                files.delete(owner, folder);
            }
        }
        log.info("execution {} of {} deleted by {}{}", id, row.ownerName(), by,
                deleteFiles ? " with its files" : "");
    }
}
