package org.escadrille.server.execution;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.escadrille.server.SqlLists;
import org.escadrille.server.scheduling.TaskQueries;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of executions; their tasks, attempts and outputs come from scheduling's {@link TaskQueries}. */
@Repository
class ExecutionRepository {
    private static final String TERMINAL = SqlLists.in(ExecutionStatus.terminal());
    private final JdbcClient jdbc;
    private final TaskQueries tasks;
    private final ApplicationEventPublisher events;

    ExecutionRepository(JdbcClient jdbc, TaskQueries tasks, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tasks = tasks;
        this.events = events;
    }

    /** An execution's row; {@code waiting}: a launch that waits for its owner to be under their limit. */
    record Row(String id, String ownerId, String ownerName, String name, String appId, ExecutionStatus status,
               String invocation, String iterate, String outputDir, long createdAt, Long startedAt, Long endedAt,
               String error, int priority, boolean waiting) {
        Row(String id, String ownerId, String ownerName, String name, String appId, ExecutionStatus status,
            String invocation, String iterate, String outputDir, long createdAt, Long startedAt, Long endedAt,
            String error, int priority) {
            this(id, ownerId, ownerName, name, appId, status, invocation, iterate, outputDir, createdAt, startedAt, endedAt,
                    error, priority, false);
        }
    }

    void insert(Row row) {
        insert(row, null);
    }

    /** Inserts an execution; with {@code waitingLaunch} (its request as JSON), one that waits to start. */
    void insert(Row row, String waitingLaunch) {
        jdbc.sql("""
                        INSERT INTO executions (id, owner_id, name, app_id, status, invocation, iterate, output_dir, created_at,
                                                error, priority, waiting_launch)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(row.id(), row.ownerId(), row.name(), row.appId(), row.status().name(), row.invocation(),
                        row.iterate(), row.outputDir(), row.createdAt(), row.error(), row.priority(), waitingLaunch)
                .update();
    }

    /** The owner's executions that have not ended and do not wait: those the limit on running executions counts. */
    int running(String ownerId) {
        return jdbc.sql("SELECT COUNT(*) FROM executions WHERE owner_id = ? AND waiting_launch IS NULL AND status NOT "
                        + TERMINAL).param(ownerId).query(Integer.class).single();
    }

    /** How many of the owner's launches wait to start (a killed one no longer waits). */
    int waitingCount(String ownerId) {
        return jdbc.sql("SELECT COUNT(*) FROM executions WHERE owner_id = ? AND waiting_launch IS NOT NULL AND status NOT "
                        + TERMINAL).param(ownerId).query(Integer.class).single();
    }

    /** A launch that waits: its execution and its request as JSON. */
    record Waiting(String executionId, String ownerId, String ownerName, String outputDir, String request) {
    }

    /** The owner's oldest launch that waits, if any. */
    Optional<Waiting> oldestWaiting(String ownerId) {
        return jdbc.sql("SELECT e.id, e.owner_id, u.username, e.output_dir, e.waiting_launch FROM executions e"
                        + " JOIN users u ON u.id = e.owner_id WHERE e.owner_id = ? AND e.waiting_launch IS NOT NULL"
                        + " AND e.status NOT " + TERMINAL + " ORDER BY e.created_at, e.id FETCH FIRST 1 ROWS ONLY")
                .param(ownerId)
                .query((rs, n) -> new Waiting(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .optional();
    }

    /** The name of an owner of executions, by id. */
    Optional<String> ownerName(String ownerId) {
        return jdbc.sql("SELECT username FROM users WHERE id = ?").param(ownerId).query(String.class).optional();
    }

    /** The owners who have launches waiting. */
    List<String> ownersWaiting() {
        return jdbc.sql("SELECT DISTINCT owner_id FROM executions WHERE waiting_launch IS NOT NULL AND status NOT " + TERMINAL)
                .query(String.class).list();
    }

    /** Takes a launch out of waiting, to start it; false if it no longer waits (started, or ended meanwhile). */
    boolean stopWaiting(String id) {
        return jdbc.sql("UPDATE executions SET waiting_launch = NULL WHERE id = ? AND waiting_launch IS NOT NULL AND status NOT "
                + TERMINAL).param(id).update() == 1;
    }

    private static final String SELECT = """
            SELECT e.id, e.owner_id, u.username, e.name, e.app_id, e.status, e.invocation, e.iterate, e.output_dir,
                   e.created_at, e.started_at, e.ended_at, e.error, e.priority,
                   CASE WHEN e.waiting_launch IS NULL THEN 0 ELSE 1 END
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
        return page("e.owner_id = ?", List.of(ownerId), filter, offset, limit);
    }

    /**
     * A page of the executions of the user named {@code username} ({@code null}: of every user) that are
     * not deleted and pass the filter, newest first: an admin's view.
     */
    List<Row> byOwnerName(String username, ExecutionFilter filter, int offset, int limit) {
        return username == null ? page("1 = 1", List.of(), filter, offset, limit)
                : page("u.username = ?", List.of(username), filter, offset, limit);
    }

    int countByOwnerName(String username, ExecutionFilter filter) {
        return username == null ? count("1 = 1", List.of(), filter) : count("u.username = ?", List.of(username), filter);
    }

    private List<Row> page(String owners, List<Object> ownerParams, ExecutionFilter filter, int offset, int limit) {
        var params = new ArrayList<Object>(ownerParams);
        String where = where(owners, filter, params);
        params.add(offset);
        params.add(limit);
        return jdbc.sql(SELECT + " WHERE " + where + " ORDER BY e.created_at DESC, e.id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")
                .params(params).query(ExecutionRepository::row).list();
    }

    /** The owner's visible execution whose output folder is one of {@code folders} (the deepest: the longest), if any. */
    Optional<Row> byOutputDir(String ownerId, List<String> folders) {
        if (folders.isEmpty()) {
            return Optional.empty();
        }
        var params = new ArrayList<Object>(List.of(ownerId));
        params.addAll(folders);
        return jdbc.sql(SELECT + " WHERE e.owner_id = ? AND e.deleted_at IS NULL AND e.output_dir IN ("
                        + String.join(", ", Collections.nCopies(folders.size(), "?")) + ")"
                        + " ORDER BY LENGTH(e.output_dir) DESC, e.created_at DESC FETCH FIRST 1 ROWS ONLY")
                .params(params).query(ExecutionRepository::row).optional();
    }

    int countByOwner(String ownerId, ExecutionFilter filter) {
        return count("e.owner_id = ?", List.of(ownerId), filter);
    }

    private int count(String owners, List<Object> ownerParams, ExecutionFilter filter) {
        var params = new ArrayList<Object>(ownerParams);
        return jdbc.sql("SELECT COUNT(*) FROM executions e JOIN users u ON u.id = e.owner_id WHERE "
                        + where(owners, filter, params))
                .params(params).query(Integer.class).single();
    }

    /** The names of the applications of the owner's executions, for a filter's choices. */
    List<String> appNames(String ownerId) {
        return jdbc.sql("""
                        SELECT DISTINCT a.name FROM executions e JOIN applications a ON a.id = e.app_id
                        WHERE e.owner_id = ? AND e.deleted_at IS NULL ORDER BY a.name""")
                .param(ownerId).query(String.class).list();
    }

    /** {@code owners}: the condition on whose executions, its parameters already in {@code params}. */
    private static String where(String owners, ExecutionFilter filter, List<Object> params) {
        var where = new StringBuilder(owners + " AND e.deleted_at IS NULL");
        if (!filter.statuses().isEmpty()) {
            where.append(" AND e.status IN (").append(String.join(", ", Collections.nCopies(filter.statuses().size(), "?")))
                    .append(")");
            filter.statuses().forEach(status -> params.add(status.name()));
        }
        if (filter.app() != null) {
            where.append(" AND e.app_id IN (SELECT id FROM applications WHERE name = ?)");
            params.add(filter.app());
        }
        if (filter.name() != null) {
            where.append(" AND LOWER(e.name) LIKE ? ESCAPE '\\'");
            params.add(ExecutionFilter.containing(filter.name()));
        }
        if (filter.input() != null) {
            where.append(" AND LOWER(e.invocation) LIKE ? ESCAPE '\\'");
            params.add(ExecutionFilter.containing(filter.input()));
        }
        if (filter.from() != null) {
            where.append(" AND e.created_at >= ?");
            params.add(filter.from().toEpochMilli());
        }
        if (filter.to() != null) {
            where.append(" AND e.created_at < ?");
            params.add(filter.to().toEpochMilli());
        }
        return where.toString();
    }

    /** Hides an execution for good (a tombstone: its tasks and attempts stay for the accounting). */
    /** Up to {@code limit} executions, not deleted, that ended before {@code cutoff}, oldest end first. */
    List<String> endedBefore(long cutoff, int limit) {
        return jdbc.sql("""
                        SELECT id FROM executions WHERE deleted_at IS NULL AND ended_at IS NOT NULL AND ended_at < ?
                        ORDER BY ended_at, id FETCH FIRST ? ROWS ONLY""")
                .params(cutoff, limit).query(String.class).list();
    }

    void markDeleted(String id, long now) {
        jdbc.sql("UPDATE executions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL").params(now, id).update();
    }

    void rename(String id, String name) {
        jdbc.sql("UPDATE executions SET name = ? WHERE id = ?").params(name, id).update();
    }

    /** Moves an execution to {@code status} unless it has already ended; false if it had. */
    boolean transition(String id, ExecutionStatus status, String error, long now) {
        // An execution that ends without having been seen running started when its first attempt did.
        Long started = status == ExecutionStatus.Running ? Long.valueOf(now) : tasks.firstStart(id).orElse(null);
        // Each task's start asks for Running: an execution already running is left unwritten.
        String unlessRunning = status == ExecutionStatus.Running && error == null ? " AND status <> 'Running'" : "";
        boolean moved = jdbc.sql("UPDATE executions SET status = ?, error = COALESCE(?, error), started_at = COALESCE(started_at, ?),"
                        + " ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE id = ? AND status NOT " + TERMINAL + unlessRunning)
                .params(status.name(), error, started, status.isTerminal(), now, id)
                .update() == 1;
        if (moved && status.isTerminal()) {
            // the guard on the status above lets one change only end an execution: the event is sent once
            jdbc.sql("SELECT e.owner_id, e.name, a.name, e.error, e.deleted_at FROM executions e"
                            + " JOIN applications a ON a.id = e.app_id WHERE e.id = ?").param(id)
                    .query((rs, n) -> new ExecutionEnded(id, rs.getString(1), rs.getString(2), rs.getString(3), status,
                            rs.getString(4), rs.getObject(5) != null))
                    .optional().ifPresent(events::publishEvent);
        }
        return moved;
    }

    /** Whether any task of the execution is queued or running: cheap, so that it can be asked at every task's end. */
    boolean hasLiveTasks(String executionId) {
        return tasks.hasLiveTasks(executionId);
    }

    Map<String, Integer> taskCounts(String executionId) {
        return tasks.taskCounts(executionId);
    }

    double[] usage(String executionId) {
        return tasks.usage(executionId);
    }

    Optional<String> firstFailure(String executionId) {
        return tasks.firstFailure(executionId);
    }

    List<ExecutionView.OutputView> outputs(String executionId) {
        return tasks.outputs(executionId).stream()
                .map(o -> new ExecutionView.OutputView(o.path(), o.outputId(), o.size(), o.sha256(), o.taskId(), false))
                .toList();
    }

    List<TaskView> tasks(String executionId) {
        return tasks.tasks(executionId).stream().map(t -> new TaskView(t.id(), t.index(), t.label(), t.status(),
                t.commandLine(), t.attempts().stream().map(a -> new TaskView.AttemptView(a.id(), a.pilotId(), a.host(),
                        a.status(), a.leasedAt(), a.startedAt(), a.endedAt(), a.exitCode(), a.cpuSeconds(), a.wallSeconds(),
                        a.peakRssKb(), a.events(), a.message())).toList(), t.reusedFrom(), t.cached(), null)).toList();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                ExecutionStatus.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getLong(10), (Long) rs.getObject(11), (Long) rs.getObject(12), rs.getString(13), rs.getInt(14),
                rs.getInt(15) == 1);
    }
}
