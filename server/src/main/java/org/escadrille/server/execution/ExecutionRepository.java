package org.escadrille.server.execution;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of executions, and the read side of their tasks, attempts and outputs. */
@Repository
class ExecutionRepository {
    private final JdbcClient jdbc;

    ExecutionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An execution's row. */
    record Row(String id, String ownerId, String ownerName, String name, String appId, ExecutionStatus status,
               String invocation, String iterate, String outputDir, long createdAt, Long startedAt, Long endedAt,
               String error, int priority) {
    }

    void insert(Row row) {
        jdbc.sql("""
                        INSERT INTO executions (id, owner_id, name, app_id, status, invocation, iterate, output_dir, created_at,
                                                error, priority)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(row.id(), row.ownerId(), row.name(), row.appId(), row.status().name(), row.invocation(),
                        row.iterate(), row.outputDir(), row.createdAt(), row.error(), row.priority())
                .update();
    }

    private static final String SELECT = """
            SELECT e.id, e.owner_id, u.username, e.name, e.app_id, e.status, e.invocation, e.iterate, e.output_dir,
                   e.created_at, e.started_at, e.ended_at, e.error, e.priority
            FROM executions e JOIN users u ON u.id = e.owner_id""";

    Optional<Row> find(String id) {
        return jdbc.sql(SELECT + " WHERE e.id = ?").param(id).query(ExecutionRepository::row).optional();
    }

    /** The execution unless it was deleted: what its owner and the APIs may see. */
    Optional<Row> findVisible(String id) {
        return jdbc.sql(SELECT + " WHERE e.id = ? AND e.deleted_at IS NULL").param(id).query(ExecutionRepository::row)
                .optional();
    }

    /** A page of the owner's executions that are not deleted and pass the filter, newest first. */
    List<Row> byOwner(String ownerId, ExecutionFilter filter, int offset, int limit) {
        var params = new ArrayList<Object>(List.of(ownerId));
        String where = where(filter, params);
        params.add(offset);
        params.add(limit);
        return jdbc.sql(SELECT + " WHERE " + where + " ORDER BY e.created_at DESC, e.id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")
                .params(params).query(ExecutionRepository::row).list();
    }

    int countByOwner(String ownerId, ExecutionFilter filter) {
        var params = new ArrayList<Object>(List.of(ownerId));
        return jdbc.sql("SELECT COUNT(*) FROM executions e WHERE " + where(filter, params))
                .params(params).query(Integer.class).single();
    }

    /** The names of the applications of the owner's executions, for a filter's choices. */
    List<String> appNames(String ownerId) {
        return jdbc.sql("""
                        SELECT DISTINCT a.name FROM executions e JOIN applications a ON a.id = e.app_id
                        WHERE e.owner_id = ? AND e.deleted_at IS NULL ORDER BY a.name""")
                .param(ownerId).query(String.class).list();
    }

    private static String where(ExecutionFilter filter, List<Object> params) {
        var where = new StringBuilder("e.owner_id = ? AND e.deleted_at IS NULL");
        if (!filter.statuses().isEmpty()) {
            where.append(" AND e.status IN (").append(String.join(", ", Collections.nCopies(filter.statuses().size(), "?")))
                    .append(")");
            filter.statuses().forEach(status -> params.add(status.name()));
        }
        if (filter.app() != null) {
            where.append(" AND e.app_id IN (SELECT id FROM applications WHERE name = ?)");
            params.add(filter.app());
        }
        return where.toString();
    }

    /** Hides an execution for good (a tombstone: its tasks and attempts stay for the accounting). */
    void markDeleted(String id, long now) {
        jdbc.sql("UPDATE executions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL").params(now, id).update();
    }

    /** Moves an execution to {@code status} unless it has already ended; false if it had. */
    boolean transition(String id, ExecutionStatus status, String error, long now) {
        return jdbc.sql("""
                        UPDATE executions SET status = ?, error = COALESCE(?, error),
                          started_at = CASE WHEN ? = 'Running' THEN COALESCE(started_at, ?)
                            ELSE COALESCE(started_at, (SELECT MIN(a.started_at) FROM attempts a JOIN tasks t ON t.id = a.task_id
                                                       WHERE t.execution_id = ?)) END,
                          ended_at = CASE WHEN ? THEN ? ELSE ended_at END
                        WHERE id = ? AND status NOT IN ('Finished', 'InitializationFailed', 'ExecutionFailed', 'Killed')""")
                .params(status.name(), error, status.name(), now, id, status.isTerminal(), now, id)
                .update() == 1;
    }

    /** Whether any task of the execution is queued or running: cheap, so that it can be asked at every task's end. */
    boolean hasLiveTasks(String executionId) {
        return jdbc.sql("""
                        SELECT 1 FROM tasks WHERE execution_id = ? AND status IN ('QUEUED', 'LEASED', 'RUNNING')
                        FETCH FIRST 1 ROWS ONLY""")
                .param(executionId).query(Integer.class).optional().isPresent();
    }

    Map<String, Integer> taskCounts(String executionId) {
        var counts = new LinkedHashMap<String, Integer>();
        jdbc.sql("SELECT status, COUNT(*) FROM tasks WHERE execution_id = ? GROUP BY status")
                .param(executionId)
                .query(rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                });
        return counts;
    }

    double[] usage(String executionId) {
        return jdbc.sql("""
                        SELECT COALESCE(SUM(a.cpu_seconds), 0), COALESCE(SUM(a.wall_seconds), 0)
                        FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.execution_id = ?""")
                .param(executionId)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)})
                .single();
    }

    Optional<String> firstFailure(String executionId) {
        return jdbc.sql("""
                        SELECT t.label, a.exit_code, a.message FROM attempts a JOIN tasks t ON t.id = a.task_id
                        WHERE t.execution_id = ? AND t.status = 'FAILED' AND a.status IN ('FAILED', 'LOST')
                        ORDER BY a.ended_at DESC LIMIT 1""")
                .param(executionId)
                .query((rs, n) -> ("task".equals(rs.getString(1)) ? "" : "task " + rs.getString(1) + ": ")
                        + (rs.getString(3) != null ? rs.getString(3) : "exit code " + rs.getInt(2)))
                .optional();
    }

    List<ExecutionView.OutputView> outputs(String executionId) {
        return jdbc.sql("SELECT path, output_id, size, sha256, task_id FROM task_outputs WHERE execution_id = ? ORDER BY path")
                .param(executionId)
                .query((rs, n) -> new ExecutionView.OutputView(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getString(4), rs.getString(5), false))
                .list();
    }

    List<TaskView> tasks(String executionId) {
        var attempts = new LinkedHashMap<String, List<TaskView.AttemptView>>();
        jdbc.sql("""
                        SELECT a.task_id, a.id, a.pilot_id, a.host, a.status, a.leased_at, a.started_at, a.ended_at, a.exit_code,
                               a.cpu_seconds, a.wall_seconds, a.peak_rss_kb, a.events, a.message
                        FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.execution_id = ? ORDER BY a.leased_at, a.id""")
                .param(executionId)
                .query(rs -> {
                    attempts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new TaskView.AttemptView(
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), instant(rs, 6),
                            instant(rs, 7), instant(rs, 8), (Integer) rs.getObject(9), (Double) rs.getObject(10),
                            (Double) rs.getObject(11), (Long) rs.getObject(12), (Long) rs.getObject(13), rs.getString(14)));
                });
        return jdbc.sql("SELECT id, idx, label, status, command_line FROM tasks WHERE execution_id = ? ORDER BY idx")
                .param(executionId)
                .query((rs, n) -> new TaskView(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), attempts.getOrDefault(rs.getString(1), List.of())))
                .list();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                ExecutionStatus.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getLong(10), (Long) rs.getObject(11), (Long) rs.getObject(12), rs.getString(13), rs.getInt(14));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }
}
