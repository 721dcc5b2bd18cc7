package org.escadrille.server.scheduling;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.escadrille.protocol.Completion;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.storage.Storage;
import org.escadrille.server.storage.UserFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What happens when an attempt ends: its outputs move from the staging area into the owner's space,
 * the attempt and the task are recorded, and a failed or lost attempt is retried (with backoff) until
 * the task runs out of attempts. Outputs are committed before the task is marked done, so a crash in
 * between reruns the task rather than losing its results.
 */
@Component
class AttemptEnding {
    private static final Logger log = LoggerFactory.getLogger(AttemptEnding.class);
    /**
     * Attempts lost before they started (waiting in a dead pilot's queue) that a task may have for
     * each that it may lose running: still a bound, for a task that kills its pilot while it is staged.
     */
    static final int UNSTARTED_LOSSES_PER_LOSS = 10;

    private final TaskRepository tasks;
    private final AttemptFiles files;
    private final TaskLifecycleListener listener;
    private final SchedulerMetrics metrics;
    private final int maxAttempts;
    private final int maxLosses;
    private final Clock clock;

    AttemptEnding(TaskRepository tasks, Storage storage, UserFiles files, TaskLifecycleListener listener,
                  SchedulerMetrics metrics, EscadrilleProperties properties, Clock clock) {
        this.clock = clock;
        this.metrics = metrics;
        this.tasks = tasks;
        this.files = new AttemptFiles(tasks, storage, files);
        this.listener = listener;
        this.maxAttempts = properties.scheduling().maxAttempts();
        this.maxLosses = properties.scheduling().maxLostAttempts();
    }

    /**
     * A pilot says all the files of a checkpoint of {@code events} events are uploaded: it becomes the
     * attempt's newest, and the older ones go.
     */
    void checkpointed(String attemptId, long events) {
        files.checkpointed(attemptId, events);
    }

    /**
     * What is left of an attempt's end once its storage work is done: the database writes, then, once
     * they are committed, the metrics and the listener. Several endings may share one transaction (a
     * pilot's batch of completions: one commit instead of one per task); {@link #write()} may run a
     * second time, alone, after that shared transaction rolled back.
     */
    final class Ending {
        private final TaskDefinition task;
        private final List<Runnable> writes = new ArrayList<>();
        private final List<Runnable> afterCommit = new ArrayList<>();
        private QueuedTask requeue;
        private boolean taskEnded;

        private Ending(TaskDefinition task) {
            this.task = task;
        }

        /** The task whose attempt ended: a batch writes its endings in the order of their tasks' ids. */
        String taskId() {
            return task.id();
        }

        /** The database writes; the caller runs them in a transaction. */
        void write() {
            requeue = null;
            taskEnded = false;
            writes.forEach(Runnable::run);
        }

        /** After the commit: tells the metrics and the listener; answers the task to queue again, if any. */
        Optional<QueuedTask> committed() {
            afterCommit.forEach(Runnable::run);
            if (taskEnded) {
                listener.taskEnded(task.executionId(), task.id());
            }
            return Optional.ofNullable(requeue);
        }
    }

    /**
     * Does a completion's storage work (its outputs are moved, and recorded in their own transaction,
     * before anything says the task is done) and answers the rest, for the caller to write and commit.
     *
     * @param attemptOnly another attempt of the task (a straggler's replica) won or still runs: record
     *                    this attempt, leave the task to the other
     */
    Ending completing(Lease lease, Completion completion, boolean attemptOnly) {
        long now = clock.millis();
        TaskDefinition task = lease.definition();
        Ending ending = new Ending(task);
        // A finished attempt's checkpoints are of no more use, whatever its end.
        files.discardCheckpoints(lease);
        if (attemptOnly) {
            files.discardStaging(lease);
            ending.writes.add(() -> tasks.endAttempt(lease.attemptId, completion.outcome().name(), completion, now));
            return ending;
        }
        switch (completion.outcome()) {
            case SUCCEEDED, STOPPED -> {
                try {
                    files.commitStagedOutputs(lease);
                } catch (IOException | RuntimeException e) {
                    log.warn("attempt {} of task {}: outputs could not be stored: {}", lease.attemptId, task.id(), e.getMessage());
                    var failed = new Completion(Completion.Outcome.FAILED, completion.exitCode(),
                            "the outputs could not be stored: " + e.getMessage(), completion.startedAtMs(),
                            completion.endedAtMs(), completion.events(), completion.usage());
                    ending.writes.add(() -> tasks.endAttempt(lease.attemptId, "FAILED", failed, now));
                    retryOrFail(ending, lease, now, false);
                    return ending;
                }
                var status = completion.outcome() == Completion.Outcome.STOPPED ? TaskStatus.STOPPED : TaskStatus.SUCCEEDED;
                ending.writes.add(() -> {
                    tasks.endAttempt(lease.attemptId, completion.outcome().name(), completion, now);
                    ending.taskEnded = tasks.setStatusIfLive(task.id(), status, now);
                });
                ending.afterCommit.add(metrics::succeeded);
            }
            case CANCELLED -> {
                files.discardStaging(lease);
                ending.writes.add(() -> {
                    tasks.endAttempt(lease.attemptId, "CANCELLED", completion, now);
                    ending.taskEnded = tasks.setStatusIfLive(task.id(), TaskStatus.CANCELLED, now);
                });
            }
            default -> {
                log.info("attempt {} of task {} failed on pilot {}: {}", lease.attemptId, task.id(), lease.pilotId,
                        completion.message() == null ? "exit code " + completion.exitCode() : completion.message());
                files.discardStaging(lease);
                ending.writes.add(() -> tasks.endAttempt(lease.attemptId, "FAILED", completion, now));
                ending.afterCommit.add(metrics::failed);
                retryOrFail(ending, lease, now, false);
            }
        }
        return ending;
    }

    /** Records an attempt whose pilot vanished; answers the task to queue again, if it may be retried. */
    Optional<QueuedTask> lost(Lease lease, String message, long now, boolean attemptOnly) {
        long checkpoint = attemptOnly ? 0 : tasks.checkpointOf(lease.attemptId);
        if (checkpoint > 0 && keepCheckpoint(lease, checkpoint, message, now)) {
            return Optional.empty();
        }
        files.discardStaging(lease);
        files.discardCheckpoints(lease);
        Ending ending = new Ending(lease.definition());
        ending.writes.add(() -> tasks.loseAttempt(lease.attemptId, message, now, lease.usage));
        ending.afterCommit.add(metrics::lost);
        if (!attemptOnly) {
            retryOrFail(ending, lease, now, true);
        }
        tasks.inTransaction(ending::write);
        return ending.committed();
    }

    /**
     * A lost attempt with a checkpoint: the checkpoint's files become the task's outputs and the task
     * ends {@code STOPPED} with the checkpoint's events, as if told to stop there. False if the
     * checkpoint cannot be stored (the attempt is then lost as any other).
     */
    private boolean keepCheckpoint(Lease lease, long events, String message, long now) {
        TaskDefinition task = lease.definition();
        try {
            // What the pilot staged of its final outputs is incomplete: only the checkpoint counts.
            files.deleteStaging(lease);
            files.commitOutputs(task, AttemptFiles.checkpointPrefix(lease.attemptId) + events + "/");
        } catch (IOException | RuntimeException e) {
            log.warn("attempt {} of task {}: its checkpoint of {} events could not be kept: {}", lease.attemptId,
                    task.id(), events, e.getMessage());
            return false;
        }
        Ending ending = new Ending(task);
        ending.writes.add(() -> {
            tasks.loseAttemptKeeping(lease.attemptId, message + "; its checkpoint of " + events + " events is kept",
                    events, now, lease.usage);
            ending.taskEnded = tasks.setStatusIfLive(task.id(), TaskStatus.STOPPED, now);
        });
        ending.afterCommit.add(metrics::lost);
        tasks.inTransaction(ending::write);
        files.discardCheckpoints(lease);
        log.info("attempt {} of task {} lost; its checkpoint of {} events is its result", lease.attemptId, task.id(), events);
        ending.committed();
        return true;
    }

    /**
     * A failed attempt counts against the task's attempts (with backoff before the next); a lost one
     * (its pilot died) against a larger allowance, since it says nothing about the task. A task that
     * keeps killing its pilots still ends, failed.
     */
    private void retryOrFail(Ending ending, Lease lease, long now, boolean lost) {
        TaskDefinition task = lease.definition();
        Integer own = task.spec().maxAttempts();
        int allowedFailures = own != null && own > 0 ? own : maxAttempts;
        int allowedLosses = own != null && own > 0 ? own : maxLosses;
        QueuedTask next = lost ? lease.task.lostOnce(lease.startedAtMs > 0)
                : lease.task.failedOnce(now + Math.min(30_000L, 500L << Math.min(6, lease.task.failures())), lease.pilotId);
        if (next.failures() < allowedFailures && next.losses() < allowedLosses
                && next.unstartedLosses() < UNSTARTED_LOSSES_PER_LOSS * allowedLosses) {
            ending.writes.add(() -> {
                if (tasks.setStatusIfLive(task.id(), TaskStatus.QUEUED, now)) {
                    ending.requeue = next;
                }
            });
            ending.afterCommit.add(() -> {
                if (ending.requeue != null) {
                    metrics.retried();
                }
            });
            return;
        }
        ending.writes.add(() -> ending.taskEnded = tasks.setStatusIfLive(task.id(), TaskStatus.FAILED, now));
        ending.afterCommit.add(() -> log.info("task {} failed after {} attempt(s) ({} failed, {} lost running, {} lost "
                + "before they started)", task.id(), next.attempts(), next.failures(), next.losses(), next.unstartedLosses()));
    }
}
