package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionReceipt;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.TaskAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lease requests and completions that arrive together are written together, one transaction for the lot
 * (issue 18: a commit each was most of a loaded server's work), and a grant the database refuses leaves its
 * task queued. To make requests arrive "together" without timing, the test holds a row lock on the first
 * write from another connection, piles requests up behind it, then lets go.
 */
class BatchedSchedulerWritesTest {
    @TempDir
    Path dir;

    private SchedulerRig rig;
    private final ExecutorService pilots = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        pilots.shutdownNow();
        if (rig != null) {
            rig.scheduler.destroy();
        }
    }

    @Test
    void leaseRequestsThatArriveWhileAGrantIsWrittenShareTheNextTransaction() throws Exception {
        rig = new SchedulerRig(dir);
        var tasks = new ArrayList<TaskDefinition>();
        for (int i = 0; i < 21; i++) {
            tasks.addAll(rig.submit(Tasks.definition().build()));
        }
        int before = rig.commits.get();
        var answers = new ArrayList<CompletableFuture<LeaseGrant>>();
        try (Connection blocker = lockRow("tasks", tasks.get(0).id())) {
            answers.add(ask(rig.pilot()));
            awaitBlocked();
            for (int i = 0; i < 20; i++) {
                answers.add(ask(rig.pilot()));
            }
            blocker.rollback();
        }

        var granted = answers.stream().map(answer -> answer.orTimeout(10, TimeUnit.SECONDS).join())
                .flatMap(grant -> grant.tasks().stream()).map(TaskAssignment::taskId).toList();
        assertThat(granted).as("every request got its own task").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(tasks.stream().map(TaskDefinition::id).toList());
        assertThat(rig.commits.get() - before).as("the first grant, then the twenty that waited for it, in one").isEqualTo(2);
        assertThat(tasks).allSatisfy(task -> assertThat(rig.status(task.id())).isEqualTo("LEASED"));
    }

    @Test
    void completionsThatArriveWhileOthersAreWrittenShareTheNextTransaction() throws Exception {
        rig = new SchedulerRig(dir);
        var attempts = new ArrayList<TaskAssignment>();
        var owners = new ArrayList<String>();
        for (int i = 0; i < 11; i++) {
            rig.submit(Tasks.definition().build());
            String pilot = rig.pilot();
            owners.add(pilot);
            attempts.add(rig.leaseOne(pilot));
        }
        int before = rig.commits.get();
        var receipts = new ArrayList<Future<CompletionReceipt>>();
        try (Connection blocker = lockRow("attempts", attempts.get(0).attemptId())) {
            receipts.add(complete(owners.get(0), attempts.get(0)));
            awaitBlocked();
            for (int i = 1; i < attempts.size(); i++) {
                receipts.add(complete(owners.get(i), attempts.get(i)));
            }
            // Each completion has ended its lease in memory before it queues its write: then all ten wait.
            await().atMost(Duration.ofSeconds(10)).until(() -> rig.scheduler.leasedCount() == 0);
            blocker.rollback();
        }

        for (var receipt : receipts) {
            assertThat(receipt.get(10, TimeUnit.SECONDS).accepted()).isTrue();
        }
        assertThat(attempts).allSatisfy(attempt -> assertThat(rig.attemptStatus(attempt)).isEqualTo("SUCCEEDED"));
        assertThat(rig.commits.get() - before).as("the first completion, then the ten that waited for it, in one").isEqualTo(2);
    }

    @Test
    void aGrantTheDatabaseRefusesLeavesItsTaskQueuedForTheNextRequest() {
        rig = new SchedulerRig(dir);
        var task = rig.submit(Tasks.definition().build()).get(0);
        rig.jdbc.sql("ALTER TABLE attempts RENAME TO attempts_away").update();

        var refused = ask(rig.pilot());

        assertThat(refused).failsWithin(Duration.ofSeconds(10));
        assertThat(rig.status(task.id())).isEqualTo("QUEUED");
        assertThat(rig.scheduler.queuedCount()).as("the task is back in the queue").isEqualTo(1);
        assertThat(rig.scheduler.leasedCount()).isZero();
        rig.jdbc.sql("ALTER TABLE attempts_away RENAME TO attempts").update();
        assertThat(rig.leaseOne(rig.pilot()).taskId()).isEqualTo(task.id());
        assertThat(rig.status(task.id())).isEqualTo("LEASED");
    }

    @Test
    void aStartWrittenAfterItsAttemptFailedAndItsTaskWasLeasedAgainLeavesTheNewAttemptLeased() {
        rig = new SchedulerRig(dir);
        var task = rig.submit(Tasks.definition().build()).get(0);
        String first = rig.pilot();
        var failed = rig.leaseOne(first);
        rig.running(first, failed);
        rig.fail(first, failed);
        rig.advance(Duration.ofMinutes(5)); // past the retry's backoff
        var again = rig.leaseOne(rig.pilot());

        // The heartbeat that reported the first attempt running is written after the lock: late, here.
        rig.tasks.markRunning(List.of(new TaskRepository.Started(task.id(), failed.attemptId(), rig.clock.millis())));

        assertThat(again.taskId()).isEqualTo(task.id());
        assertThat(rig.status(task.id())).as("the task's live attempt has not started").isEqualTo("LEASED");
        assertThat(rig.attempts(task.id())).containsExactly("FAILED", "LEASED");
    }

    @Test
    void aStartedAttemptIsWrittenInTheOrderACompletionLocksItsRows() throws Exception {
        rig = new SchedulerRig(dir);
        var task = rig.submit(Tasks.definition().build()).get(0);
        var attempt = rig.leaseOne(rig.pilot());
        // The completion of the task's attempt, written as its writer writes: the attempt first...
        try (Connection completion = lockRow("attempts", attempt.attemptId())) {
            Future<?> started = pilots.submit(() -> rig.tasks.markRunning(
                    List.of(new TaskRepository.Started(task.id(), attempt.attemptId(), rig.clock.millis()))));
            awaitBlocked();
            // ...then its task. Had the heartbeat's write locked the task first, each would wait for the other, and
            // the database would fail one of them (this ran into a completion answered 500 at 2,000 pilots).
            try (var update = completion.prepareStatement("UPDATE tasks SET status = 'SUCCEEDED' WHERE id = ?")) {
                update.setString(1, task.id());
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            completion.commit();
            started.get(10, TimeUnit.SECONDS);
        }

        assertThat(rig.status(task.id())).as("the completion's status, which the late start leaves").isEqualTo("SUCCEEDED");
    }

    private CompletableFuture<LeaseGrant> ask(String pilotId) {
        return rig.scheduler.lease(pilotId, "host", Set.of(), new LeaseRequest(1, 0, 0, List.of()));
    }

    private Future<CompletionReceipt> complete(String pilotId, TaskAssignment attempt) {
        return pilots.submit(() -> rig.scheduler.complete(pilotId, attempt.attemptId(),
                rig.completion(Completion.Outcome.SUCCEEDED, 1_000)));
    }

    /** Another connection's open transaction holding the row: writes to it wait until it rolls back. */
    private Connection lockRow(String table, String id) throws SQLException {
        Connection connection = rig.dataSource.getConnection();
        connection.setAutoCommit(false);
        try (var update = connection.prepareStatement("UPDATE " + table + " SET id = id WHERE id = ?")) {
            update.setString(1, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        return connection;
    }

    /** Until a session of the scheduler waits for the row lock. */
    private void awaitBlocked() {
        await().atMost(Duration.ofSeconds(5)).until(() -> rig.jdbc.sql(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL").query(Long.class).single() > 0);
    }
}
