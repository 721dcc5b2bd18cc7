package org.escadrille.server.montecarlo;

import java.util.List;
import java.util.Optional;
import org.escadrille.server.scheduling.TaskQueries;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of mc_runs, mc_tasks and merged_outputs; a run's tasks and their events come from scheduling's {@link TaskQueries}. */
@Repository
class MonteCarloRepository {
    private final JdbcClient jdbc;
    private final TaskQueries scheduled;

    MonteCarloRepository(JdbcClient jdbc, TaskQueries scheduled) {
        this.jdbc = jdbc;
        this.scheduled = scheduled;
    }

    /** A run's row. */
    record RunRow(String executionId, Split split, long totalEvents, long baseSeed, int maxTasks, String replayOf,
                  Long mergedAt, String stoppedBy) {
    }

    /** A task's seed and share, and the events its successful attempt (or kept checkpoint) simulated (0 if none). */
    record TaskRow(String taskId, int index, long seed, long eventsRequested, String status, long events) {
    }

    /** A partial result: a task's output, in the owner's space. */
    record PartialOutput(String taskId, int index, String outputId, String path, String taskOutputDir) {
    }

    void insertRun(RunRow run) {
        jdbc.sql("INSERT INTO mc_runs (execution_id, split, total_events, base_seed, max_tasks, replay_of) VALUES (?, ?, ?, ?, ?, ?)")
                .params(run.executionId(), run.split().name(), run.totalEvents(), run.baseSeed(), run.maxTasks(), run.replayOf())
                .update();
    }

    Optional<RunRow> findRun(String executionId) {
        return jdbc.sql("""
                        SELECT execution_id, split, total_events, base_seed, max_tasks, replay_of, merged_at, stopped_by
                        FROM mc_runs WHERE execution_id = ?""")
                .param(executionId)
                .query((rs, n) -> new RunRow(rs.getString(1), Split.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                        rs.getInt(5), rs.getString(6), (Long) rs.getObject(7), rs.getString(8)))
                .optional();
    }

    /** The run's owner stopped it early: it merges what its tasks simulated. */
    void markStopped(String executionId, String by) {
        jdbc.sql("UPDATE mc_runs SET stopped_by = ? WHERE execution_id = ?").params(by, executionId).update();
    }

    void insertTask(String taskId, String executionId, int index, long seed, long eventsRequested) {
        jdbc.sql("INSERT INTO mc_tasks (task_id, execution_id, idx, seed, events_requested) VALUES (?, ?, ?, ?, ?)")
                .params(taskId, executionId, index, seed, eventsRequested)
                .update();
    }

    int unfinishedTasks(String executionId) {
        return scheduled.liveTasks(executionId);
    }

    int taskCount(String executionId) {
        return jdbc.sql("SELECT COUNT(*) FROM mc_tasks WHERE execution_id = ?").param(executionId).query(Integer.class).single();
    }

    List<TaskRow> tasks(String executionId) {
        var outcomes = scheduled.outcomes(executionId);
        record Share(String taskId, int index, long seed, long eventsRequested) {
        }
        return jdbc.sql("SELECT task_id, idx, seed, events_requested FROM mc_tasks WHERE execution_id = ? ORDER BY idx")
                .param(executionId)
                .query((rs, n) -> new Share(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)))
                .list().stream()
                .filter(share -> outcomes.containsKey(share.taskId()))
                .map(share -> {
                    var outcome = outcomes.get(share.taskId());
                    return new TaskRow(share.taskId(), share.index(), share.seed(), share.eventsRequested(), outcome.status(),
                            outcome.events());
                })
                .toList();
    }

    /**
     * Events simulated by the tasks that ended well (their partial results count). A lost attempt has
     * events only when its checkpoint was kept as its task's result.
     */
    long completedEvents(String executionId) {
        return scheduled.completedEvents(executionId);
    }

    /** The partial results of the tasks that ended well, in task order. */
    List<PartialOutput> partialOutputs(String executionId) {
        return scheduled.successfulOutputs(executionId).stream()
                .map(o -> new PartialOutput(o.taskId(), o.index(), o.outputId(), o.path(), o.taskOutputDir()))
                .toList();
    }

    void recordMerged(String executionId, String outputId, String path, long size, String sha256) {
        jdbc.sql("DELETE FROM merged_outputs WHERE execution_id = ? AND output_id = ?").params(executionId, outputId).update();
        jdbc.sql("INSERT INTO merged_outputs (execution_id, output_id, path, size, sha256) VALUES (?, ?, ?, ?, ?)")
                .params(executionId, outputId, path, size, sha256)
                .update();
    }

    void markMerged(String executionId, long now) {
        jdbc.sql("UPDATE mc_runs SET merged_at = ? WHERE execution_id = ?").params(now, executionId).update();
    }

    List<MergedOutput> mergedOutputs(String executionId) {
        return jdbc.sql("SELECT output_id, path, size, sha256 FROM merged_outputs WHERE execution_id = ? ORDER BY path")
                .param(executionId)
                .query((rs, n) -> new MergedOutput(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .list();
    }
}
