package org.escadrille.server.limits;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** SQL of users' and groups' own limits ({@code user_limits}, {@code group_limits}). */
@Repository
class LimitRepository {
    private final JdbcClient jdbc;

    LimitRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Integer> ofUser(String username) {
        return jdbc.sql("SELECT max_running_executions FROM user_limits WHERE username = ?").param(username)
                .query(Integer.class).optional();
    }

    /** The own limits of those of {@code groups} that have one, by group name. */
    Map<String, Integer> ofGroups(List<String> groups) {
        var limits = new LinkedHashMap<String, Integer>();
        if (groups.isEmpty()) {
            return limits;
        }
        jdbc.sql("SELECT group_name, max_running_executions FROM group_limits WHERE group_name IN ("
                        + String.join(", ", Collections.nCopies(groups.size(), "?")) + ") ORDER BY group_name")
                .params(List.copyOf(groups))
                .query(rs -> {
                    limits.put(rs.getString(1), rs.getInt(2));
                });
        return limits;
    }

    Map<String, Integer> allUsers() {
        var limits = new LinkedHashMap<String, Integer>();
        jdbc.sql("SELECT username, max_running_executions FROM user_limits ORDER BY username")
                .query(rs -> {
                    limits.put(rs.getString(1), rs.getInt(2));
                });
        return limits;
    }

    Map<String, Integer> allGroups() {
        var limits = new LinkedHashMap<String, Integer>();
        jdbc.sql("SELECT group_name, max_running_executions FROM group_limits ORDER BY group_name")
                .query(rs -> {
                    limits.put(rs.getString(1), rs.getInt(2));
                });
        return limits;
    }

    /** Sets a user's own limit, or with null removes it. */
    @Transactional
    void setUser(String username, Integer max) {
        jdbc.sql("DELETE FROM user_limits WHERE username = ?").param(username).update();
        if (max != null) {
            jdbc.sql("INSERT INTO user_limits (username, max_running_executions) VALUES (?, ?)").params(username, max).update();
        }
    }

    /** Sets a group's own limit, or with null removes it. */
    @Transactional
    void setGroup(String group, Integer max) {
        jdbc.sql("DELETE FROM group_limits WHERE group_name = ?").param(group).update();
        if (max != null) {
            jdbc.sql("INSERT INTO group_limits (group_name, max_running_executions) VALUES (?, ?)").params(group, max).update();
        }
    }
}
