package org.escadrille.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.escadrille.server.Ids;
import org.escadrille.server.MovableClock;
import org.escadrille.server.montecarlo.MonteCarloRuns;
import org.escadrille.server.scheduling.TaskQueries;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * How an execution moves as its tasks start and end, on a real (in-memory H2) database with a clock
 * the test moves: running from its first start, finished when every task succeeded, failed with the
 * reason of a failure, never moved once it has ended, and timestamps from the clock.
 */
class ExecutionProgressTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static JdbcDataSource dataSource;

    private final MovableClock clock = new MovableClock(T0);
    private AnnotationConfigApplicationContext context;
    private JdbcClient jdbc;
    private ExecutionRepository executions;
    private ExecutionProgress progress;
    private String ownerId;
    private String appId;
    private String pilotId;

    // One database for the class (each test makes its own user, application and executions): migrating
    // is what costs here.
    @BeforeAll
    static void database() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:progress-" + Ids.newId() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    @BeforeEach
    void beans() {
        jdbc = JdbcClient.create(dataSource);
        // The beans as the server wires them (their constructors are package-private); no Monte-Carlo
        // run exists here, so the provider of runs is left empty.
        context = new AnnotationConfigApplicationContext();
        context.registerBean(JdbcClient.class, () -> jdbc);
        context.registerBean(Clock.class, () -> clock);
        context.registerBean(JsonMapper.class, () -> JsonMapper.builder().build());
        context.register(TaskQueries.class, ExecutionRepository.class, ExecutionProgress.class);
        context.refresh();
        executions = context.getBean(ExecutionRepository.class);
        progress = context.getBean(ExecutionProgress.class);

        ownerId = Ids.newId();
        jdbc.sql("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, '-', 'USER', 0)")
                .params(ownerId, "u" + ownerId).update();
        appId = Ids.newId();
        jdbc.sql("INSERT INTO applications (id, name, version, digest, descriptor, published_at) VALUES (?, ?, '1', ?, '{}', 0)")
                .params(appId, "tool-" + appId, Ids.newSecret()).update();
        pilotId = Ids.newId();
        jdbc.sql("INSERT INTO pilots (id, backend, token_hash, state, created_at) VALUES (?, 'test', ?, 'RUNNING', 0)")
                .params(pilotId, Ids.newSecret()).update();
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void theFirstStartMakesAnExecutionRunningAtThatTime() {
        String execution = execution();

        progress.taskStarted(execution);
        clock.advance(Duration.ofSeconds(5));
        progress.taskStarted(execution);

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.Running);
        assertThat(row.startedAt()).isEqualTo(T0.toEpochMilli());
        assertThat(row.endedAt()).isNull();
    }

    @Test
    void anExecutionWithATaskLeftToRunDoesNotEnd() {
        String execution = execution();
        progress.taskStarted(execution);
        task(execution, "a", "SUCCEEDED");
        task(execution, "b", "RUNNING");

        progress.tasksEnded(execution);

        assertThat(executions.find(execution).orElseThrow().status()).isEqualTo(ExecutionStatus.Running);
    }

    @Test
    void anExecutionFinishesAtTheEndOfItsLastTaskWhenEveryTaskSucceeded() {
        String execution = execution();
        progress.taskStarted(execution);
        task(execution, "a", "SUCCEEDED");
        task(execution, "b", "STOPPED");
        clock.advance(Duration.ofMinutes(3));

        progress.tasksEnded(execution);

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.Finished);
        assertThat(row.error()).isNull();
        assertThat(row.endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)).toEpochMilli());
    }

    @Test
    void aFailedTaskFailsTheExecutionWithItsReason() {
        String execution = execution();
        progress.taskStarted(execution);
        task(execution, "a", "SUCCEEDED");
        String failed = task(execution, "b", "FAILED");
        attempt(failed, "FAILED", 1_000, "exit code 3 after 2 s");

        progress.tasksEnded(execution);

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.ExecutionFailed);
        assertThat(row.error()).isEqualTo("1 of 2 task(s) failed; task b: exit code 3 after 2 s");
    }

    @Test
    void aCancelledTaskCountsAsAFailure() {
        String execution = execution();
        progress.taskStarted(execution);
        task(execution, "a", "SUCCEEDED");
        task(execution, "b", "CANCELLED");

        progress.tasksEnded(execution);

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.ExecutionFailed);
        assertThat(row.error()).isEqualTo("1 of 2 task(s) failed");
    }

    @Test
    void anExecutionThatEndsUnseenStartedWhenItsFirstAttemptDid() {
        String execution = execution();
        String task = task(execution, "a", "SUCCEEDED");
        attempt(task, "SUCCEEDED", T0.toEpochMilli() - 7_000, null);

        progress.tasksEnded(execution);

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.Finished);
        assertThat(row.startedAt()).isEqualTo(T0.toEpochMilli() - 7_000);
    }

    @Test
    void aKilledExecutionStaysKilledWhenItsTasksEnd() {
        String execution = execution();
        progress.taskStarted(execution);
        executions.transition(execution, ExecutionStatus.Killed, "killed by alice", clock.millis());
        task(execution, "a", "CANCELLED");
        clock.advance(Duration.ofSeconds(30));

        progress.tasksEnded(execution);

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.Killed);
        assertThat(row.error()).isEqualTo("killed by alice");
        assertThat(row.endedAt()).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void aMergedMonteCarloRunFinishesItsExecution() {
        String execution = execution();
        progress.taskStarted(execution);
        clock.advance(Duration.ofSeconds(12));

        progress.concluded(execution, new MonteCarloRuns.Outcome.Merged(1_000));

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.Finished);
        assertThat(row.endedAt()).isEqualTo(T0.plusSeconds(12).toEpochMilli());
    }

    @Test
    void aFailedMonteCarloRunFailsItsExecutionWithTheRunsReason() {
        String execution = execution();
        progress.taskStarted(execution);

        progress.concluded(execution, new MonteCarloRuns.Outcome.Failed("only 10 of 100 events were simulated"));

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.ExecutionFailed);
        assertThat(row.error()).isEqualTo("only 10 of 100 events were simulated");
    }

    @Test
    void aMonteCarloRunThatGoesOnLeavesItsExecutionRunning() {
        String execution = execution();
        progress.taskStarted(execution);

        progress.concluded(execution, new MonteCarloRuns.Outcome.Continue());

        var row = executions.find(execution).orElseThrow();
        assertThat(row.status()).isEqualTo(ExecutionStatus.Running);
        assertThat(row.endedAt()).isNull();
    }

    private String execution() {
        String id = Ids.newId();
        executions.insert(new ExecutionRepository.Row(id, ownerId, "alice", "run", appId, ExecutionStatus.Ready, "{}",
                "cross", "executions/" + id, clock.millis(), null, null, null, 0));
        return id;
    }

    private String task(String executionId, String label, String status) {
        String id = Ids.newId();
        jdbc.sql("""
                        INSERT INTO tasks (id, execution_id, idx, label, status, command_line, spec, output_dir, attempts, created_at)
                        VALUES (?, ?, 0, ?, ?, 'true', '{}', 'out', 1, 0)""")
                .params(id, executionId, label, status).update();
        return id;
    }

    private void attempt(String taskId, String status, long startedAt, String message) {
        jdbc.sql("""
                        INSERT INTO attempts (id, task_id, pilot_id, status, leased_at, started_at, ended_at, exit_code, message)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 3, ?)""")
                .params(Ids.newId(), taskId, pilotId, status, startedAt, startedAt, startedAt + 2_000, message).update();
    }
}
