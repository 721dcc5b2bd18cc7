package org.escadrille.server.execution;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the {@code execution_shares} table: an execution shared read-only with a group or by a link. */
@Repository
class ShareRepository {
    private final JdbcClient jdbc;

    ShareRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, String executionId, String group, String tokenHash, long createdAt, String createdBy) {
        jdbc.sql("INSERT INTO execution_shares (id, execution_id, group_name, token_hash, created_at, created_by)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")
                .params(id, executionId, group, tokenHash, createdAt, createdBy).update();
    }

    List<ExecutionShare> of(String executionId) {
        return jdbc.sql("SELECT id, group_name, created_at, created_by FROM execution_shares WHERE execution_id = ?"
                        + " ORDER BY created_at, id")
                .param(executionId)
                .query((rs, n) -> new ExecutionShare(rs.getString(1), rs.getString(2) == null ? "link" : "group",
                        rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4), null))
                .list();
    }

    /** The groups an execution is shared with. */
    List<String> groups(String executionId) {
        return jdbc.sql("SELECT group_name FROM execution_shares WHERE execution_id = ? AND group_name IS NOT NULL")
                .param(executionId).query(String.class).list();
    }

    Optional<String> executionOfToken(String tokenHash) {
        return jdbc.sql("SELECT execution_id FROM execution_shares WHERE token_hash = ?").param(tokenHash)
                .query(String.class).optional();
    }

    int deleteGroup(String executionId, String group) {
        return jdbc.sql("DELETE FROM execution_shares WHERE execution_id = ? AND group_name = ?").params(executionId, group)
                .update();
    }

    /** Ends every share with a group (one that was deleted). */
    void deleteGroupEverywhere(String group) {
        jdbc.sql("DELETE FROM execution_shares WHERE group_name = ?").param(group).update();
    }

    int deleteLinks(String executionId) {
        return jdbc.sql("DELETE FROM execution_shares WHERE execution_id = ? AND token_hash IS NOT NULL").param(executionId)
                .update();
    }
}
