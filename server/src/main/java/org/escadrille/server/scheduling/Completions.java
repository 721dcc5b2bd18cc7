package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.List;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.CompletionReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
     * Writes the endings in one transaction and then acts on them. Should that transaction fail, each
     * is written in its own, so that one bad ending cannot take the others with it.
     */
    private void commit(List<AttemptEnding.Ending> endings) {
        if (endings.isEmpty()) {
            return;
        }
        var written = endings;
        RuntimeException failure = null;
        try {
            tasks.inTransaction(() -> endings.forEach(AttemptEnding.Ending::write));
        } catch (RuntimeException e) {
            if (endings.size() == 1) {
                throw e;
            }
            log.warn("{} completions could not be written together ({}); writing them one at a time",
                    endings.size(), e.getMessage());
            written = new ArrayList<>();
            for (var single : endings) {
                try {
                    tasks.inTransaction(single::write);
                    written.add(single);
                } catch (RuntimeException e1) {
                    failure = failure == null ? e1 : failure;
                }
            }
        }
        written.forEach(done -> done.committed().ifPresent(dispatch::requeue));
        if (failure != null) {
            throw failure;
        }
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
