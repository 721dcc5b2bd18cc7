package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.escadrille.protocol.Completion;
import org.escadrille.server.SqlLists;
import org.escadrille.server.account.Account;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** SQL of tasks, attempts and task_outputs: what the scheduler writes through. */
@Repository
class TaskRepository {
    private static final String LIVE = SqlLists.in(TaskStatus.live());
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate transactions;
    private final JdbcTemplate batches;

    TaskRepository(JdbcClient jdbc, JdbcTemplate batches, JsonMapper json, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.json = json;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Runs several writes as one transaction (one commit). */
    void inTransaction(Runnable writes) {
        transactions.executeWithoutResult(status -> writes.run());
    }

    /** An execution's tasks: JDBC batches of 1,000 rows (one statement, prepared once) in one transaction. */
    void insert(List<TaskDefinition> newTasks, long now) {
        transactions.executeWithoutResult(status -> {
            for (int from = 0; from < newTasks.size(); from += 1_000) {
                var rows = new ArrayList<Object[]>();
                for (TaskDefinition task : newTasks.subList(from, Math.min(newTasks.size(), from + 1_000))) {
                    rows.add(new Object[] {task.id(), task.executionId(), task.index(), task.label(),
                            task.spec().commandLine(), json.writeValueAsString(task.spec()), task.outputDir(), now,
                            task.owner().id(), task.cacheKey()});
                }
                batches.batchUpdate("""
                        INSERT INTO tasks (id, execution_id, idx, label, status, command_line, spec, output_dir, attempts, created_at,
                                           owner_id, cache_key)
                        VALUES (?, ?, ?, ?, 'QUEUED', ?, ?, ?, 0, ?, ?, ?)""", rows);
            }
        });
    }

    /** Tasks that succeeded already (their outputs copied from an earlier execution's): never queued. */
    void insertReused(List<ReusedTask> reused, long now) {
        transactions.executeWithoutResult(status -> {
            for (ReusedTask each : reused) {
                TaskDefinition task = each.task();
                jdbc.sql("""
                                INSERT INTO tasks (id, execution_id, idx, label, status, command_line, spec, output_dir, attempts,
                                                   created_at, ended_at, reused_from, owner_id, cache_key, cached)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)""")
                        .params(task.id(), task.executionId(), task.index(), task.label(), TaskStatus.SUCCEEDED.name(),
                                task.spec().commandLine(), json.writeValueAsString(task.spec()), task.outputDir(), now, now,
                                each.reusedFrom(), task.owner().id(), task.cacheKey(), each.cached())
                        .update();
                for (ReusedTask.Output output : each.outputs()) {
                    recordOutput(task.id(), task.executionId(), output.outputId(), output.path(), output.size(), output.sha256());
                }
            }
        });
    }

    /** A grant's leases: two JDBC batches (one statement each, prepared once) in one transaction. */
    void markLeased(List<String> taskIds, List<Attempt> attempts) {
        transactions.executeWithoutResult(status -> {
            batches.batchUpdate("UPDATE tasks SET status = 'LEASED', attempts = attempts + 1 WHERE id = ?",
                    taskIds.stream().map(id -> new Object[] {id}).toList());
            var rows = new ArrayList<Object[]>(attempts.size());
            for (int i = 0; i < taskIds.size(); i++) {
                Attempt attempt = attempts.get(i);
                rows.add(new Object[] {attempt.id(), taskIds.get(i), attempt.pilotId(), attempt.host(), attempt.leasedAtMs()});
            }
            batches.batchUpdate("INSERT INTO attempts (id, task_id, pilot_id, host, status, leased_at) VALUES (?, ?, ?, ?, 'LEASED', ?)",
                    rows);
        });
    }

    /** An attempt a heartbeat reported running, since {@code startedAtMs}. */
    record Started(String taskId, String attemptId, long startedAtMs) {
    }

    /**
     * Marks the attempts and their tasks running, in one transaction. Written after the scheduler's lock
     * is let go, so an attempt may have ended meanwhile: one that has is left as it ended, and so is its task.
     * Rows are locked as a batch of completions locks them ({@code Completions}): the attempts before the tasks,
     * in the order of their tasks' ids. Tasks first, as before, met a completion of the same task holding its
     * attempt and waiting for its task, and the database broke the deadlock by failing one of the two.
     */
    void markRunning(List<Started> started) {
        var inOrder = started.stream().sorted(Comparator.comparing(Started::taskId).thenComparing(Started::attemptId)).toList();
        transactions.executeWithoutResult(status -> {
            batches.batchUpdate("UPDATE attempts SET status = 'RUNNING', started_at = ? WHERE id = ? AND ended_at IS NULL",
                    inOrder.stream().map(s -> new Object[] {s.startedAtMs(), s.attemptId()}).toList());
            batches.batchUpdate("UPDATE tasks SET status = 'RUNNING' WHERE id = ? AND status = 'LEASED'"
                            + " AND EXISTS (SELECT 1 FROM attempts a WHERE a.id = ? AND a.ended_at IS NULL)",
                    inOrder.stream().map(s -> new Object[] {s.taskId(), s.attemptId()}).toList());
        });
    }

    /** Records how an attempt ended; answers false if it had ended already (a repeated completion). */
    boolean endAttempt(String attemptId, String status, Completion completion, long now) {
        var usage = completion.usage();
        return jdbc.sql("""
                        UPDATE attempts SET status = ?, started_at = COALESCE(?, started_at), ended_at = ?, exit_code = ?,
                          cpu_seconds = ?, wall_seconds = ?, peak_rss_kb = ?, bytes_in = ?, bytes_out = ?, events = ?, message = ?
                        WHERE id = ? AND ended_at IS NULL""")
                .params(status, completion.startedAtMs() > 0 ? completion.startedAtMs() : null,
                        completion.endedAtMs() > 0 ? completion.endedAtMs() : now, completion.exitCode(),
                        usage.cpuSeconds(), usage.wallSeconds(), usage.peakRssKb(), usage.bytesIn(), usage.bytesOut(),
                        completion.events(), completion.message(), attemptId)
                .update() == 1;
    }

    /**
     * An attempt lost with its pilot; {@code usage}: what its pilot last relayed of it (null: nothing),
     * kept as its CPU seconds and peak memory so that its footprint counts what it used (docs/footprint.md).
     */
    void loseAttempt(String attemptId, String message, long now, LiveUsage usage) {
        jdbc.sql("""
                        UPDATE attempts SET status = 'LOST', ended_at = ?, message = ?, cpu_seconds = ?, peak_rss_kb = ?
                        WHERE id = ? AND ended_at IS NULL""")
                .params(now, message, usage == null ? null : usage.cpuSeconds(), usage == null ? null : usage.peakRssKb(),
                        attemptId)
                .update();
    }

    /** An attempt lost with its pilot, whose checkpoint of {@code events} events became its result. */
    void loseAttemptKeeping(String attemptId, String message, long events, long now, LiveUsage usage) {
        jdbc.sql("""
                        UPDATE attempts SET status = 'LOST', ended_at = ?, message = ?, events = ?, cpu_seconds = ?,
                          peak_rss_kb = ?
                        WHERE id = ? AND ended_at IS NULL""")
                .params(now, message, events, usage == null ? null : usage.cpuSeconds(),
                        usage == null ? null : usage.peakRssKb(), attemptId)
                .update();
    }

    /** Records a live attempt's newer checkpoint; false if it ended or has this one or a newer one. */
    boolean recordCheckpoint(String attemptId, long events) {
        return jdbc.sql("""
                        UPDATE attempts SET checkpoint_events = ?
                        WHERE id = ? AND ended_at IS NULL AND (checkpoint_events IS NULL OR checkpoint_events < ?)""")
                .params(events, attemptId, events)
                .update() == 1;
    }

    /** Events of the attempt's newest recorded checkpoint, or 0. */
    long checkpointOf(String attemptId) {
        return jdbc.sql("SELECT COALESCE(checkpoint_events, 0) FROM attempts WHERE id = ?")
                .param(attemptId).query(Long.class).optional().orElse(0L);
    }

    /** Whether the attempt exists and has not ended (its staging area and checkpoints are still in use). */
    boolean attemptIsLive(String attemptId) {
        return jdbc.sql("SELECT COUNT(*) FROM attempts WHERE id = ? AND ended_at IS NULL")
                .param(attemptId).query(Long.class).single() > 0;
    }

    /** Whether the attempt was ever leased to this pilot. */
    boolean attemptOf(String attemptId, String pilotId) {
        return jdbc.sql("SELECT COUNT(*) FROM attempts WHERE id = ? AND pilot_id = ?")
                .params(attemptId, pilotId).query(Long.class).single() > 0;
    }

    boolean attemptEndedBy(String attemptId, String pilotId) {
        return jdbc.sql("SELECT COUNT(*) FROM attempts WHERE id = ? AND pilot_id = ? AND ended_at IS NOT NULL")
                .params(attemptId, pilotId).query(Long.class).single() > 0;
    }

    /** Moves a task to a final or queued state from a live one; false if it was not live (e.g. killed). */
    boolean setStatusIfLive(String taskId, TaskStatus status, long now) {
        Long endedAt = status.isTerminal() ? now : null;
        return jdbc.sql("UPDATE tasks SET status = ?, ended_at = ? WHERE id = ? AND status " + LIVE)
                .params(status.name(), endedAt, taskId)
                .update() == 1;
    }

    int cancelLiveTasks(String executionId, long now) {
        return jdbc.sql("""
                        UPDATE tasks SET status = 'CANCELLED', ended_at = ?
                        WHERE execution_id = ? AND status\s""" + LIVE)
                .params(now, executionId)
                .update();
    }

    int cancelQueuedTasks(String executionId, long now) {
        return jdbc.sql("UPDATE tasks SET status = 'CANCELLED', ended_at = ? WHERE execution_id = ? AND status = 'QUEUED'")
                .params(now, executionId)
                .update();
    }

    void recordOutput(String taskId, String executionId, String outputId, String path, long size, String sha256) {
        jdbc.sql("DELETE FROM task_outputs WHERE task_id = ? AND path = ?").params(taskId, path).update();
        jdbc.sql("INSERT INTO task_outputs (task_id, execution_id, output_id, path, size, sha256) VALUES (?, ?, ?, ?, ?, ?)")
                .params(taskId, executionId, outputId, path, size, sha256)
                .update();
    }

    /** Tasks that were live when the server last stopped, with their owner and open attempt. */
    List<LiveTask> liveTasks() {
        return jdbc.sql("""
                        SELECT t.id, t.execution_id, t.idx, t.label, t.status, t.spec, t.output_dir, t.attempts,
                               u.id, u.username, u.role, a.id, a.pilot_id, a.host, a.started_at,
                               (SELECT COUNT(*) FROM attempts f WHERE f.task_id = t.id AND f.status = 'FAILED'),
                               (SELECT COUNT(*) FROM attempts l WHERE l.task_id = t.id AND l.status = 'LOST'
                                  AND l.started_at IS NOT NULL),
                               e.priority,
                               (SELECT COUNT(*) FROM attempts q WHERE q.task_id = t.id AND q.status = 'LOST'
                                  AND q.started_at IS NULL)
                        FROM tasks t
                        JOIN executions e ON e.id = t.execution_id
                        JOIN users u ON u.id = e.owner_id
                        LEFT JOIN attempts a ON a.task_id = t.id AND a.ended_at IS NULL
                        WHERE t.status %s
                        ORDER BY e.created_at, t.idx""".formatted(LIVE))
                .query((rs, n) -> {
                    var owner = new Account(rs.getString(9), rs.getString(10), Account.Role.valueOf(rs.getString(11)));
                    var task = new TaskDefinition(rs.getString(1), rs.getString(2), owner, rs.getInt(3), rs.getString(4),
                            rs.getString(7), json.readValue(rs.getString(6), TaskSpec.class), rs.getInt(18));
                    long started = rs.getLong(15);
                    long startedAt = rs.wasNull() ? 0 : started;
                    return new LiveTask(task, TaskStatus.valueOf(rs.getString(5)), rs.getInt(8), rs.getInt(16), rs.getInt(17),
                            rs.getInt(19), rs.getString(12), rs.getString(13), rs.getString(14), startedAt);
                })
                .list();
    }

    Optional<String> latestAttempt(String taskId) {
        return jdbc.sql("SELECT id FROM attempts WHERE task_id = ? ORDER BY leased_at DESC, id LIMIT 1")
                .param(taskId).query(String.class).optional();
    }

    /** An attempt as the scheduler creates it. */
    record Attempt(String id, String pilotId, String host, long leasedAtMs) {
    }

    /** A task found live at startup; {@code attemptId} null when it has no open attempt. */
    record LiveTask(TaskDefinition task, TaskStatus status, int attempts, int failures, int losses, int unstartedLosses,
                    String attemptId, String pilotId,
                    String host, long startedAtMs) {
    }
}
