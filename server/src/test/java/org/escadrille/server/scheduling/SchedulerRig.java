package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.CompletionReceipt;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.protocol.ResourceUsage;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.MovableClock;
import org.escadrille.server.account.PilotTokenVerifier;
import org.escadrille.server.storage.LocalStorage;
import org.escadrille.server.storage.Storage;
import org.escadrille.server.storage.UserFilesFixture;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole scheduler without Spring and without pilot processes: the real parts on an in-memory H2
 * database and a storage in a temporary directory, a clock the test moves, and pilots played by the
 * test through the scheduler's own calls. Tests call {@link Scheduler#expireLeases()} and
 * {@link Scheduler#replicateStragglers()} themselves, where the server's timers would.
 */
final class SchedulerRig {
    /** The settings the rules are tested under, unless a test says otherwise. */
    static final EscadrilleProperties.Scheduling DEFAULTS = settings(3, 10, 0);

    /** The migrated schema, as SQL: Flyway runs once, each rig's own database replays its result. */
    private static final List<String> SCHEMA = schema();

    final MovableClock clock = new MovableClock();
    final JdbcDataSource dataSource;
    final JdbcClient jdbc;
    /** Transactions the scheduler and the test committed through the rig's transaction manager. */
    final AtomicInteger commits = new AtomicInteger();
    final Scheduler scheduler;
    final TaskRepository tasks;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Task ids the listener heard end for good, in order. */
    final List<String> ended = new ArrayList<>();
    /** The storage the scheduler's parts use: a directory, each call recorded in {@link #storageCalls}. */
    final Storage storage;
    /** The scheduler's calls to its storage, in order, as "method first-argument" (e.g. "walk staging/ID/"). */
    final List<String> storageCalls = new CopyOnWriteArrayList<>();
    private final EscadrilleProperties properties;
    private final DataSourceTransactionManager transactions;
    private final TaskLifecycleListener listener;

    /** Lease 60 s, straggler factor 3 with a floor of 1 s. */
    static EscadrilleProperties.Scheduling settings(int maxAttempts, int maxLostAttempts, int userQuota) {
        return new EscadrilleProperties.Scheduling(Duration.ofSeconds(60), Duration.ofSeconds(15), maxAttempts,
                maxLostAttempts, Duration.ofSeconds(1), userQuota, 3.0, Duration.ofSeconds(1), null, null);
    }

    /** The scheduler's pilot registry (who was heard from when). */
    final PilotRegistry pilots;

    SchedulerRig(Path dir) {
        this(dir, DEFAULTS);
    }

    SchedulerRig(Path dir, EscadrilleProperties.Scheduling settings) {
        this(dir, settings, null);
    }

    /** @param longPolls the bound on waiting lease requests; null: the default */
    SchedulerRig(Path dir, EscadrilleProperties.Scheduling settings, EscadrilleProperties.LongPollLimits longPolls) {
        dataSource = newDatabase();
        jdbc = JdbcClient.create(dataSource);
        SCHEMA.forEach(statement -> jdbc.sql(statement).update());
        transactions = new DataSourceTransactionManager(dataSource) {
            @Override
            protected void doCommit(DefaultTransactionStatus status) {
                commits.incrementAndGet();
                super.doCommit(status);
            }
        };
        properties = new EscadrilleProperties(dir, null, settings, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, longPolls);
        try {
            storage = recorded(new LocalStorage(dir.resolve("storage")), storageCalls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tasks = new TaskRepository(jdbc, new JdbcTemplate(dataSource), JsonMapper.builder().build(), transactions);
        listener = new TaskLifecycleListener() {
            @Override
            public void taskStarted(String executionId) {
            }

            @Override
            public void taskEnded(String executionId, String taskId) {
                ended.add(taskId);
            }
        };
        pilots = new PilotRegistry(jdbc, new JdbcTemplate(dataSource), transactions, properties, clock);
        scheduler = newScheduler(pilots);
        jdbc.sql("INSERT INTO applications (id, name, version, digest, descriptor, published_at) VALUES ('app', 'tool', '1', 'd', '{}', 0)")
                .update();
    }

    private Scheduler newScheduler(PilotRegistry registry) {
        var metrics = new SchedulerMetrics(meters);
        var ending = new AttemptEnding(tasks, storage, UserFilesFixture.on(storage, jdbc, clock), listener, metrics,
                properties, clock);
        return new Scheduler(tasks, ending, listener, metrics, registry, properties, clock);
    }

    /**
     * The scheduler of a server started again on the same database and storage: it has rebuilt its queue and leases
     * from the database, as at the server's start. This rig's own scheduler is left as it is; use one or the other.
     */
    Scheduler restarted() {
        var restarted = newScheduler(new PilotRegistry(jdbc, new JdbcTemplate(dataSource), transactions, properties, clock));
        restarted.afterSingletonsInstantiated();
        return restarted;
    }

    /** {@code storage}, with each call noted in {@code calls} as "method first-argument". */
    private static Storage recorded(Storage storage, List<String> calls) {
        InvocationHandler handler = (proxy, method, args) -> {
            calls.add(method.getName() + (args == null || args.length == 0 ? "" : " " + args[0]));
            try {
                return method.invoke(storage, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, handler);
    }

    private static JdbcDataSource newDatabase() {
        var dataSource = new JdbcDataSource();
        // Row locks are waited for 10 s (H2's default: 1 s), so that a test may hold one while requests pile up.
        dataSource.setURL("jdbc:h2:mem:scheduler-" + Ids.newId() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        dataSource.setUser("sa");
        return dataSource;
    }

    private static List<String> schema() {
        var template = newDatabase();
        Flyway.configure().dataSource(template).locations("classpath:db/migration").load().migrate();
        return JdbcClient.create(template).sql("SCRIPT NODATA").query(String.class).list().stream()
                .filter(statement -> !statement.startsWith("CREATE USER")).toList();
    }

    /** A registered pilot, as the database knows it (attempts name their pilot). */
    String pilot() {
        String id = "p-" + Ids.newId();
        jdbc.sql("INSERT INTO pilots (id, backend, token_hash, state, host, slots, created_at) VALUES (?, 'test', ?, 'RUNNING', 'host', 4, 0)")
                .params(id, Ids.newSecret()).update();
        return id;
    }

    /** A pilot registered through the rig's pilot registry, and the session token its registration answered. */
    record Session(String pilotId, String token) {
    }

    /** Mints a pilot and registers it, as a pilot's first call does: it has a session token the registry knows. */
    Session registeredPilot() {
        var credentials = pilots.mint("test");
        var accepted = (PilotTokenVerifier.Accepted) pilots.verify(credentials.token(), true);
        return new Session(credentials.pilotId(), pilots.register(credentials.pilotId(), accepted.tokenId(),
                new PilotRegistration("host", 2, 1024, List.of(), "test", "25", List.of())));
    }

    /** Submits the tasks, with the rows they belong to (their owners and executions). */
    List<TaskDefinition> submit(TaskDefinition... tasks) {
        for (TaskDefinition task : tasks) {
            var owner = task.owner();
            if (jdbc.sql("SELECT COUNT(*) FROM users WHERE id = ?").param(owner.id()).query(Long.class).single() == 0) {
                jdbc.sql("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, 'x', 'USER', 0)")
                        .params(owner.id(), owner.username()).update();
            }
            if (jdbc.sql("SELECT COUNT(*) FROM executions WHERE id = ?").param(task.executionId()).query(Long.class).single() == 0) {
                jdbc.sql("""
                                INSERT INTO executions (id, owner_id, name, app_id, status, invocation, iterate, output_dir, created_at)
                                VALUES (?, ?, 'run', 'app', 'Running', '{}', 'none', 'out', 0)""")
                        .params(task.executionId(), owner.id()).update();
            }
        }
        scheduler.submit(Arrays.asList(tasks));
        return List.of(tasks);
    }

    /** What a pilot with {@code slots} free slots gets now (it does not wait). */
    List<TaskAssignment> lease(String pilotId, int slots) {
        return lease(pilotId, new LeaseRequest(slots, 0, 0, List.of()));
    }

    /** What a pilot gets now for this request (it does not wait). */
    List<TaskAssignment> lease(String pilotId, LeaseRequest request) {
        var answer = scheduler.lease(pilotId, "host", Set.of(), request);
        // Served by the thread that serves lease requests in batches: at once, but not on this thread.
        assertThat(answer).as("a lease request that asks for no wait is answered without waiting for work")
                .succeedsWithin(Duration.ofSeconds(10));
        return answer.join().tasks();
    }

    /** The one task a pilot gets now: its attempt. */
    TaskAssignment leaseOne(String pilotId) {
        var granted = lease(pilotId, 1);
        assertThat(granted).as("what pilot %s gets", pilotId).hasSize(1);
        return granted.get(0);
    }

    /** The pilot says these attempts run (since now). */
    HeartbeatReply running(String pilotId, TaskAssignment... attempts) {
        return scheduler.heartbeat(pilotId, new Heartbeat(Arrays.stream(attempts)
                .map(a -> new Heartbeat.AttemptStatus(a.attemptId(), Heartbeat.Phase.RUNNING, -1, clock.millis()))
                .toList(), 0));
    }

    /** The pilot says these attempts' commands have ended and their outputs or reports are on their way. */
    HeartbeatReply uploading(String pilotId, TaskAssignment... attempts) {
        return scheduler.heartbeat(pilotId, new Heartbeat(Arrays.stream(attempts)
                .map(a -> new Heartbeat.AttemptStatus(a.attemptId(), Heartbeat.Phase.UPLOADING, -1, 0))
                .toList(), 0));
    }

    /** The pilot reports the attempt ended so, having run for {@code ranMs} until now. */
    CompletionReceipt complete(String pilotId, TaskAssignment attempt, Completion.Outcome outcome, long ranMs) {
        return scheduler.complete(pilotId, attempt.attemptId(), completion(outcome, ranMs));
    }

    CompletionReceipt succeed(String pilotId, TaskAssignment attempt) {
        return complete(pilotId, attempt, Completion.Outcome.SUCCEEDED, 1_000);
    }

    CompletionReceipt fail(String pilotId, TaskAssignment attempt) {
        return complete(pilotId, attempt, Completion.Outcome.FAILED, 1_000);
    }

    Completion completion(Completion.Outcome outcome, long ranMs) {
        long end = clock.millis();
        return new Completion(outcome, outcome == Completion.Outcome.FAILED ? 1 : 0, null, end - ranMs, end, -1,
                new ResourceUsage(ranMs / 1000.0, ranMs / 1000.0, 1, 0, 0, 0));
    }

    CompletionBatch.Item item(TaskAssignment attempt, Completion.Outcome outcome) {
        return new CompletionBatch.Item(attempt.attemptId(), completion(outcome, 1_000));
    }

    void advance(Duration duration) {
        clock.advance(duration);
    }

    String status(String taskId) {
        return jdbc.sql("SELECT status FROM tasks WHERE id = ?").param(taskId).query(String.class).single();
    }

    /** The statuses of a task's attempts, oldest first. */
    List<String> attempts(String taskId) {
        return jdbc.sql("SELECT status FROM attempts WHERE task_id = ? ORDER BY leased_at, id").param(taskId)
                .query(String.class).list();
    }

    String attemptStatus(TaskAssignment attempt) {
        return jdbc.sql("SELECT status FROM attempts WHERE id = ?").param(attempt.attemptId()).query(String.class).single();
    }

    double counter(String name) {
        return meters.counter(name).count();
    }
}
