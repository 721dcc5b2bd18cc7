package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.CompletionReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;

/**
 * Pilots' completions: each ends its attempt's lease in memory (black holes and straggler samples learn
 * from it, replicas are settled), then the endings of a batch are written in one transaction and the
 * tasks to retry go back to the queue. A completion of an attempt that is no longer the pilot's is
 * refused, so that no task's result is counted twice; a repeated one gets the same receipt.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);

    private final SchedulerState state;
    private final TaskRepository tasks;
    private final AttemptEnding ending;
    private final Replicas replicas;
    private final Dispatch dispatch;
    private final PilotRegistry pilots;
    private final SchedulerMetrics metrics;
    /**
     * Completions arriving together, written together: a commit per completion request was, with one per
     * lease, most of a loaded server's work (issue 18), and each held a database connection meanwhile.
     */
    private final GroupCommit<List<AttemptEnding.Ending>, Written> writes =
            GroupCommit.ofWaiting("completion-writes", this::writeAll);

    Completions(SchedulerState state, TaskRepository tasks, AttemptEnding ending, Replicas replicas, Dispatch dispatch,
                PilotRegistry pilots, SchedulerMetrics metrics) {
        this.state = state;
        this.tasks = tasks;
        this.ending = ending;
        this.replicas = replicas;
        this.dispatch = dispatch;
        this.pilots = pilots;
        this.metrics = metrics;
    }

    /** One receipt per item, in order; the database writes of the accepted ones share one transaction. */
    List<CompletionReceipt> completeAll(String pilotId, List<CompletionBatch.Item> items) {
        var receipts = new ArrayList<CompletionReceipt>(items.size());
        var endings = new ArrayList<AttemptEnding.Ending>(items.size());
        for (var item : items) {
            var accepted = accept(pilotId, item.attemptId(), item.completion());
            if (accepted == null) {
                receipts.add(tasks.attemptEndedBy(item.attemptId(), pilotId)
                        ? new CompletionReceipt(true, "already recorded")
                        : new CompletionReceipt(false, "attempt " + item.attemptId()
                                + " is no longer this pilot's: its result is discarded"));
            } else {
                endings.add(accepted);
                receipts.add(new CompletionReceipt(true, null));
            }
        }
        commit(endings);
        return receipts;
    }

    /**
     * Writes the endings, with those of the other completions that arrive meanwhile, in one transaction,
     * then acts on them here. Should that transaction fail, each completion's endings are written in their
     * own, one at a time, so that one bad ending cannot take the others with it.
     */
    private void commit(List<AttemptEnding.Ending> endings) {
        if (endings.isEmpty()) {
            return;
        }
        Written written = writes.write(endings);
        written.endings().forEach(done -> done.committed().ifPresent(dispatch::requeue));
        if (written.failure() != null) {
            throw written.failure();
        }
    }

    /** What of a completion's endings was written, and the first failure of the others. */
    private record Written(List<AttemptEnding.Ending> endings, RuntimeException failure) {
    }

    /**
     * The writer's part: one transaction for the endings of every completion of the batch, in the order of their
     * tasks' ids (as {@link TaskRepository#markRunning} locks rows), tried once more if the database failed it to
     * break a deadlock or a lock timed out (another write held the same rows: nothing of it was written).
     */
    private List<Written> writeAll(List<List<AttemptEnding.Ending>> completions) {
        var inOrder = completions.stream().flatMap(List::stream)
                .sorted(Comparator.comparing(AttemptEnding.Ending::taskId)).toList();
        try {
            try {
                tasks.inTransaction(() -> inOrder.forEach(AttemptEnding.Ending::write));
            } catch (TransientDataAccessException e) {
                log.info("{} completions met another write of the same rows ({}); writing them again", inOrder.size(),
                        e.getClass().getSimpleName());
                tasks.inTransaction(() -> inOrder.forEach(AttemptEnding.Ending::write));
            }
            return completions.stream().map(endings -> new Written(endings, null)).toList();
        } catch (RuntimeException e) {
            int count = inOrder.size();
            if (count == 1) {
                return List.of(new Written(List.of(), e));
            }
            log.warn("{} completions could not be written together ({}); writing them one at a time", count, e.getMessage());
            return completions.stream().map(this::oneAtATime).toList();
        }
    }

    private Written oneAtATime(List<AttemptEnding.Ending> endings) {
        var written = new ArrayList<AttemptEnding.Ending>();
        RuntimeException failure = null;
        for (var single : endings) {
            try {
                tasks.inTransaction(single::write);
                written.add(single);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        return new Written(written, failure);
    }

    /** Stops taking completions to write; those not yet taken fail as busy (503, the pilot sends them again). */
    void close() {
        writes.close();
    }

    /** The in-memory part of a completion: null if the attempt is not (or no longer) this pilot's. */
    private AttemptEnding.Ending accept(String pilotId, String attemptId, Completion completion) {
        boolean success = completion.outcome() == Completion.Outcome.SUCCEEDED
                || completion.outcome() == Completion.Outcome.STOPPED;
        var newHoles = new ArrayList<String>();
        record Accepted(Lease lease, Replicas.Settlement settlement) {
        }
        Accepted accepted = state.update(() -> {
            Lease lease = state.leases.get(attemptId);
            if (lease == null || !lease.pilotId.equals(pilotId)) {
                return null;
            }
            state.release(lease);
            if (success) {
                newHoles.addAll(state.blackHoles.succeeded(pilotId));
                if (completion.startedAtMs() > 0 && completion.endedAtMs() >= completion.startedAtMs()) {
                    replicas.finished(lease.definition().executionId(), completion.endedAtMs() - completion.startedAtMs());
                }
            } else if (completion.outcome() == Completion.Outcome.FAILED
                    && state.blackHoles.failed(pilotId, completion.usage().wallSeconds())) {
                newHoles.add(pilotId);
            }
            return new Accepted(lease, replicas.settle(lease, success));
        });
        if (accepted == null) {
            return null;
        }
        for (String hole : newHoles) {
            log.warn("pilot {} is a black hole: {} or more attempts in a row failed fast there while others succeeded; "
                    + "it gets no more tasks", hole, BlackHoles.STREAK);
            pilots.blackHole(hole);
            metrics.blackHole();
        }
        return switch (accepted.settlement()) {
            case TASK -> ending.completing(accepted.lease(), completion, false);
            case ATTEMPT_ONLY -> ending.completing(accepted.lease(), completion, true);
            case TOO_LATE -> ending.completing(accepted.lease(), new Completion(Completion.Outcome.CANCELLED,
                    completion.exitCode(), "another attempt of this task finished first", completion.startedAtMs(),
                    completion.endedAtMs(), completion.events(), completion.usage()), true);
        };
    }
}
