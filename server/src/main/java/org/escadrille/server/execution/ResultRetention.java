package org.escadrille.server.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.escadrille.server.EscadrilleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code escadrille.housekeeping.retention} (off by default): executions that ended longer ago than the
 * retention are deleted with their results, through {@link ExecutionDeletion} as if their owner had
 * deleted them with their files; from {@code retention-notice} before that, their views say when.
 */
@Component
public class ResultRetention {
    private static final Logger log = LoggerFactory.getLogger(ResultRetention.class);
    /** Executions deleted per query: a first pass over years of history goes in bounded steps. */
    private static final int BATCH = 100;

    private final ExecutionRepository executions;
    private final ExecutionDeletion deletion;
    private final EscadrilleProperties.Housekeeping settings;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();

    ResultRetention(ExecutionRepository executions, ExecutionDeletion deletion, EscadrilleProperties properties, Clock clock) {
        this.executions = executions;
        this.deletion = deletion;
        this.settings = properties.housekeeping();
        this.clock = clock;
    }

    /**
     * When an execution that ended at {@code endedAtMs} will be deleted with its results, once that is
     * within the notice period; empty while it runs, before the notice, or without a retention.
     */
    public Optional<Instant> deletionNotice(Long endedAtMs) {
        if (!settings.retains() || endedAtMs == null) {
            return Optional.empty();
        }
        Instant deletion = Instant.ofEpochMilli(endedAtMs).plus(settings.retention());
        Instant noticeFrom = deletion.minus(settings.retentionNotice());
        return clock.instant().isBefore(noticeFrom) ? Optional.empty() : Optional.of(deletion);
    }

    @Scheduled(fixedDelayString = "${escadrille.housekeeping.sweep-interval:PT6H}",
            initialDelayString = "${escadrille.housekeeping.sweep-interval:PT6H}")
    void expireOnSchedule() {
        // On a thread of its own: the scheduler's thread also expires leases, and deletions take storage calls.
        Thread.ofVirtual().name("result-retention").start(this::expireOnce);
    }

    private void expireOnce() {
        if (!running.tryLock()) {
            return;
        }
        try {
            expire();
        } finally {
            running.unlock();
        }
    }

    /** Deletes every execution past the retention; answers how many. */
    public int expire() {
        if (!settings.retains()) {
            return 0;
        }
        Duration retention = settings.retention();
        long cutoff = clock.millis() - retention.toMillis();
        int deleted = 0;
        for (var batch = executions.endedBefore(cutoff, BATCH); !batch.isEmpty(); batch = executions.endedBefore(cutoff, BATCH)) {
            for (String id : batch) {
                deletion.expire(id);
                deleted++;
            }
        }
        if (deleted > 0) {
            log.info("retention ({}): {} executions that ended before {} deleted with their results", retention, deleted,
                    Instant.ofEpochMilli(cutoff));
        }
        return deleted;
    }
}
