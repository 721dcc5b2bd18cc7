package org.escadrille.server.scheduling;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.escadrille.server.SqlLists;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read side of the tasks, attempts and task outputs that the scheduler writes, per execution: the
 * only way other packages see these tables, so that their SQL stays here, beside the writes.
 */
@Repository
public class TaskQueries {
    private static final String LIVE = SqlLists.in(TaskStatus.live());
    private static final String SUCCESSES = SqlLists.in(TaskStatus.successes());
    /** Attempts whose events count: ended well, or lost with their checkpoint kept as their task's result. */
    private static final String ATTEMPTS_WITH_EVENTS = "IN ('SUCCEEDED', 'STOPPED', 'LOST')";

    /**
     * The wall seconds of an ended attempt: as its pilot measured them, else (a lost attempt) from its
     * start to when it was found lost; null for one that never started.
     */
    private static final String WALL = "COALESCE(a.wall_seconds, (a.ended_at - a.started_at) / 1000.0)";
    /**
     * Per ended attempt: its site and host processor, whether it was wasted (it did not give its task
     * its result), the core-seconds it kept busy (its CPU time; a lost attempt's is unknown, so its
     * wall time, Green Algorithms' full use of one core) and its GB-seconds of peak memory
     * (docs/footprint.md says why these two sums are all the footprint needs).
     */
    private static final String ATTEMPT_USE = """
            SELECT p.site AS site, p.cpu_model AS cpu_model,
                   CASE WHEN a.status %s THEN 0 ELSE 1 END AS wasted,
                   CASE WHEN %s > 0 THEN COALESCE(a.cpu_seconds, %s) ELSE 0 END AS core_seconds,
                   CASE WHEN %s > 0 THEN %s * COALESCE(a.peak_rss_kb, 0) / 1048576.0 ELSE 0 END AS gb_seconds
            FROM attempts a JOIN pilots p ON p.id = a.pilot_id""".formatted(SUCCESSES, WALL, WALL, WALL, WALL);

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TaskQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One try of a task on one pilot, as stored. */
    public record AttemptRow(String id, String pilotId, String host, String status, Instant leasedAt, Instant startedAt,
                             Instant endedAt, Integer exitCode, Double cpuSeconds, Double wallSeconds, Long peakRssKb,
                             Long events, String message) {
    }

    /**
     * A task and its attempts, oldest first.
     *
     * @param reusedFrom the task of an earlier execution whose outputs this one reused instead of running, or null
     * @param cached     whether the task cache found that task (rather than a re-run of only what failed)
     */
    public record TaskRow(String id, int index, String label, String status, String commandLine, List<AttemptRow> attempts,
                          String reusedFrom, boolean cached) {
    }

    /** A file a task wrote. */
    public record OutputRow(String path, String outputId, long size, String sha256, String taskId) {
    }

    /** A task's status and the most events one of its attempts simulated (0 if none counts). */
    public record TaskOutcome(String status, long events) {
    }

    /** An output of a task that ended well, with the task's index and output folder, and its SHA-256 when written. */
    public record SuccessfulOutput(String taskId, int index, String outputId, String path, String taskOutputDir,
                                   String sha256) {
    }

    /** Whether any task of the execution is queued or running: cheap, so that it can be asked at every task's end. */
    public boolean hasLiveTasks(String executionId) {
        return jdbc.sql("SELECT 1 FROM tasks WHERE execution_id = ? AND status " + LIVE + " FETCH FIRST 1 ROWS ONLY")
                .param(executionId).query(Integer.class).optional().isPresent();
    }

    public int liveTasks(String executionId) {
        return jdbc.sql("SELECT COUNT(*) FROM tasks WHERE execution_id = ? AND status " + LIVE)
                .param(executionId).query(Integer.class).single();
    }

    /** How many of the execution's tasks are in each status. */
    public Map<String, Integer> taskCounts(String executionId) {
        var counts = new LinkedHashMap<String, Integer>();
        jdbc.sql("SELECT status, COUNT(*) FROM tasks WHERE execution_id = ? GROUP BY status")
                .param(executionId)
                .query(rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                });
        return counts;
    }

    /** The CPU and wall seconds of every attempt of the execution. */
    public double[] usage(String executionId) {
        return jdbc.sql("""
                        SELECT COALESCE(SUM(a.cpu_seconds), 0), COALESCE(SUM(a.wall_seconds), 0)
                        FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.execution_id = ?""")
                .param(executionId)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)})
                .single();
    }

    /**
     * What ended attempts used, summed per site, host processor and waste: those of one execution, of
     * one owner's executions, or of the whole platform (both null); only those ended since {@code sinceMs}.
     */
    public List<UsageGroup> usage(String executionId, String ownerId, long sinceMs) {
        String where = executionId != null
                ? " JOIN tasks t ON t.id = a.task_id WHERE t.execution_id = :execution AND"
                : ownerId != null
                ? " JOIN tasks t ON t.id = a.task_id JOIN executions e ON e.id = t.execution_id WHERE e.owner_id = :owner AND"
                : " WHERE";
        var query = jdbc.sql("SELECT site, cpu_model, wasted, COUNT(*), SUM(core_seconds), SUM(gb_seconds) FROM ("
                        + ATTEMPT_USE + where + " a.ended_at IS NOT NULL AND a.ended_at >= :since) u"
                        + " GROUP BY site, cpu_model, wasted")
                .param("since", sinceMs);
        if (executionId != null) {
            query = query.param("execution", executionId);
        } else if (ownerId != null) {
            query = query.param("owner", ownerId);
        }
        return query.query((rs, n) -> new UsageGroup(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getInt(4),
                rs.getDouble(5), rs.getDouble(6))).list();
    }

    /** Each ended attempt of the execution by id, with what it used (as {@link #usage} sums it). */
    public Map<String, UsageGroup> attemptUsage(String executionId) {
        var usage = new LinkedHashMap<String, UsageGroup>();
        jdbc.sql(ATTEMPT_USE.replace("SELECT ", "SELECT a.id AS attempt_id, ")
                        + " JOIN tasks t ON t.id = a.task_id WHERE t.execution_id = ? AND a.ended_at IS NOT NULL")
                .param(executionId)
                .query(rs -> {
                    usage.put(rs.getString(1), new UsageGroup(rs.getString(2), rs.getString(3), rs.getInt(4) == 1, 1,
                            rs.getDouble(5), rs.getDouble(6)));
                });
        return usage;
    }

    /**
     * What some ended attempts used: their site (null: a pilot of no site) and host processor (null:
     * unknown), whether they were wasted, how many they were, their busy core-seconds and GB-seconds.
     */
    public record UsageGroup(String site, String cpuModel, boolean wasted, int attempts, double coreSeconds,
                             double gbSeconds) {
    }

    /** What one owner's attempts used in a period: how many ended, their CPU seconds and wall seconds. */
    public record OwnerUsage(String ownerId, int attempts, double cpuSeconds, double wallSeconds) {
    }

    /**
     * Per owner of executions, what their attempts that ended in {@code [fromMs, toMs)} used (an attempt
     * counts in the period it ended in); owners with none are left out.
     */
    public List<OwnerUsage> usageByOwner(long fromMs, long toMs) {
        return jdbc.sql("""
                        SELECT e.owner_id, COUNT(*), COALESCE(SUM(a.cpu_seconds), 0), COALESCE(SUM(%s), 0)
                        FROM attempts a JOIN tasks t ON t.id = a.task_id JOIN executions e ON e.id = t.execution_id
                        WHERE a.ended_at >= ? AND a.ended_at < ? GROUP BY e.owner_id ORDER BY e.owner_id""".formatted(WALL))
                .params(fromMs, toMs)
                .query((rs, n) -> new OwnerUsage(rs.getString(1), rs.getInt(2), rs.getDouble(3), rs.getDouble(4)))
                .list();
    }

    /** When the execution's first attempt started, if one has. */
    public Optional<Long> firstStart(String executionId) {
        // MIN over no row is one row holding NULL.
        return jdbc.sql("SELECT MIN(a.started_at) FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.execution_id = ?")
                .param(executionId).query((rs, n) -> Optional.ofNullable((Long) rs.getObject(1))).single();
    }

    /** Why the execution's latest failed task failed: its message or exit code, named by its label unless it is the only task. */
    public Optional<String> firstFailure(String executionId) {
        return jdbc.sql("""
                        SELECT t.label, a.exit_code, a.message FROM attempts a JOIN tasks t ON t.id = a.task_id
                        WHERE t.execution_id = ? AND t.status = ? AND a.status IN ('FAILED', 'LOST')
                        ORDER BY a.ended_at DESC LIMIT 1""")
                .params(executionId, TaskStatus.FAILED.name())
                .query((rs, n) -> ("task".equals(rs.getString(1)) ? "" : "task " + rs.getString(1) + ": ")
                        + (rs.getString(3) != null ? rs.getString(3) : "exit code " + rs.getInt(2)))
                .optional();
    }

    public List<OutputRow> outputs(String executionId) {
        return jdbc.sql("SELECT path, output_id, size, sha256, task_id FROM task_outputs WHERE execution_id = ? ORDER BY path")
                .param(executionId)
                .query((rs, n) -> new OutputRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5)))
                .list();
    }

    /** The execution's tasks in index order, each with its attempts. */
    public List<TaskRow> tasks(String executionId) {
        var attempts = new LinkedHashMap<String, List<AttemptRow>>();
        jdbc.sql("""
                        SELECT a.task_id, a.id, a.pilot_id, a.host, a.status, a.leased_at, a.started_at, a.ended_at, a.exit_code,
                               a.cpu_seconds, a.wall_seconds, a.peak_rss_kb, a.events, a.message
                        FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.execution_id = ? ORDER BY a.leased_at, a.id""")
                .param(executionId)
                .query(rs -> {
                    attempts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new AttemptRow(
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), instant(rs, 6),
                            instant(rs, 7), instant(rs, 8), (Integer) rs.getObject(9), (Double) rs.getObject(10),
                            (Double) rs.getObject(11), (Long) rs.getObject(12), (Long) rs.getObject(13), rs.getString(14)));
                });
        return jdbc.sql("SELECT id, idx, label, status, command_line, reused_from, cached FROM tasks WHERE execution_id = ? ORDER BY idx")
                .param(executionId)
                .query((rs, n) -> new TaskRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), attempts.getOrDefault(rs.getString(1), List.of()), rs.getString(6), rs.getBoolean(7)))
                .list();
    }

    /** Each task of the execution by id: its status and the events its best counted attempt simulated. */
    public Map<String, TaskOutcome> outcomes(String executionId) {
        var outcomes = new LinkedHashMap<String, TaskOutcome>();
        jdbc.sql("""
                        SELECT t.id, t.status,
                               COALESCE((SELECT MAX(a.events) FROM attempts a WHERE a.task_id = t.id
                                         AND a.status %s), 0)
                        FROM tasks t WHERE t.execution_id = ?""".formatted(ATTEMPTS_WITH_EVENTS))
                .param(executionId)
                .query(rs -> {
                    outcomes.put(rs.getString(1), new TaskOutcome(rs.getString(2), rs.getLong(3)));
                });
        return outcomes;
    }

    /**
     * Events simulated by the tasks that ended well (their partial results count). A lost attempt has
     * events only when its checkpoint was kept as its task's result.
     */
    public long completedEvents(String executionId) {
        return jdbc.sql("""
                        SELECT COALESCE(SUM(a.events), 0) FROM attempts a JOIN tasks t ON t.id = a.task_id
                        WHERE t.execution_id = ? AND a.status %s AND a.events > 0""".formatted(ATTEMPTS_WITH_EVENTS))
                .param(executionId).query(Long.class).single();
    }

    /** The outputs of the tasks that ended well, in task order. */
    public List<SuccessfulOutput> successfulOutputs(String executionId) {
        return jdbc.sql("""
                        SELECT o.task_id, t.idx, o.output_id, o.path, t.output_dir, o.sha256 FROM task_outputs o
                        JOIN tasks t ON t.id = o.task_id
                        WHERE o.execution_id = ? AND t.status %s
                        ORDER BY t.idx, o.path""".formatted(SUCCESSES))
                .param(executionId)
                .query((rs, n) -> new SuccessfulOutput(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)))
                .list();
    }

    /**
     * Which of these cache keys have at least one {@linkplain #cacheSources candidate}: one query per 500
     * keys, so that a launch of thousands of tasks that hit nothing asks the database a few times, not once
     * a task.
     */
    public Set<String> keysWithSources(String ownerId, Collection<String> cacheKeys) {
        var found = new HashSet<String>();
        var keys = new ArrayList<>(new HashSet<>(cacheKeys));
        for (int from = 0; from < keys.size(); from += 500) {
            var chunk = keys.subList(from, Math.min(keys.size(), from + 500));
            var params = new ArrayList<Object>(List.of(ownerId, TaskStatus.SUCCEEDED.name()));
            params.addAll(chunk);
            found.addAll(jdbc.sql("""
                            SELECT DISTINCT t.cache_key FROM tasks t JOIN executions e ON e.id = t.execution_id
                            WHERE t.owner_id = ? AND t.status = ? AND t.reused_from IS NULL AND e.deleted_at IS NULL
                              AND t.cache_key IN (%s)""".formatted(String.join(", ", Collections.nCopies(chunk.size(), "?"))))
                    .params(params)
                    .query(String.class).list());
        }
        return found;
    }

    /**
     * The task cache's candidates: tasks of the owner with this cache key that ran and succeeded (not
     * those that reused another's outputs, so that the footprint a hit saves is that of a real run), in
     * executions not deleted, newest first, at most {@code limit}.
     */
    public List<String> cacheSources(String ownerId, String cacheKey, int limit) {
        return jdbc.sql("""
                        SELECT t.id FROM tasks t JOIN executions e ON e.id = t.execution_id
                        WHERE t.owner_id = ? AND t.cache_key = ? AND t.status = ? AND t.reused_from IS NULL
                          AND e.deleted_at IS NULL
                        ORDER BY t.ended_at DESC, t.id FETCH FIRST %d ROWS ONLY""".formatted(limit))
                .params(ownerId, cacheKey, TaskStatus.SUCCEEDED.name())
                .query(String.class).list();
    }

    /** The outputs a task wrote, with its output folder (as {@link #successfulOutputs} gives them for an execution). */
    public List<SuccessfulOutput> outputsOfTask(String taskId) {
        return jdbc.sql("""
                        SELECT o.task_id, t.idx, o.output_id, o.path, t.output_dir, o.sha256 FROM task_outputs o
                        JOIN tasks t ON t.id = o.task_id WHERE o.task_id = ? ORDER BY o.path""")
                .param(taskId)
                .query((rs, n) -> new SuccessfulOutput(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)))
                .list();
    }

    /**
     * What the attempt that gave each of these tasks its result used (as {@link #usage} counts it), by
     * task id: the footprint a task that reused its outputs saved.
     */
    public Map<String, UsageGroup> resultAttemptUsage(Collection<String> taskIds) {
        var usage = new LinkedHashMap<String, UsageGroup>();
        if (taskIds.isEmpty()) {
            return usage;
        }
        String in = String.join(", ", Collections.nCopies(taskIds.size(), "?"));
        jdbc.sql(ATTEMPT_USE.replace("SELECT ", "SELECT a.task_id AS task_id, ")
                        + " WHERE a.task_id IN (" + in + ") AND a.status " + SUCCESSES + " AND a.ended_at IS NOT NULL")
                .params(List.copyOf(taskIds))
                .query(rs -> {
                    usage.putIfAbsent(rs.getString(1), new UsageGroup(rs.getString(2), rs.getString(3), rs.getInt(4) == 1, 1,
                            rs.getDouble(5), rs.getDouble(6)));
                });
        return usage;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    /**
     * The files staged for the execution's tasks, each once (by storage key), as they were when it was
     * launched: their size and SHA-256 then, which the execution's report shows.
     */
    public List<TaskSpec.StagedInput> stagedInputs(String executionId) {
        var byKey = new LinkedHashMap<String, TaskSpec.StagedInput>();
        jdbc.sql("SELECT spec FROM tasks WHERE execution_id = ? ORDER BY idx")
                .param(executionId)
                .query(rs -> {
                    for (var input : json.readValue(rs.getString(1), TaskSpec.class).inputs()) {
                        byKey.putIfAbsent(input.storageKey(), input);
                    }
                });
        return List.copyOf(byKey.values());
    }
}
