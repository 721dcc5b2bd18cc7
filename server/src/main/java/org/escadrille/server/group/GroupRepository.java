package org.escadrille.server.group;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the {@code user_groups} and {@code group_members} tables. */
@Repository
class GroupRepository {
    private final JdbcClient jdbc;

    GroupRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Group> all() {
        return jdbc.sql("SELECT name, description, created_at FROM user_groups ORDER BY name")
                .query((rs, n) -> new Group(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), List.of()))
                .list();
    }

    Optional<Group> find(String name) {
        return jdbc.sql("SELECT name, description, created_at FROM user_groups WHERE name = ?").param(name)
                .query((rs, n) -> new Group(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        members(name)))
                .optional();
    }

    void insert(String name, String description, long createdAt) {
        jdbc.sql("INSERT INTO user_groups (name, description, created_at) VALUES (?, ?, ?)")
                .params(name, description, createdAt).update();
    }

    void delete(String name) {
        jdbc.sql("DELETE FROM group_members WHERE group_name = ?").param(name).update();
        jdbc.sql("DELETE FROM user_groups WHERE name = ?").param(name).update();
    }

    List<GroupMember> members(String group) {
        return jdbc.sql("SELECT username, role FROM group_members WHERE group_name = ? ORDER BY username").param(group)
                .query((rs, n) -> new GroupMember(rs.getString(1), GroupRole.valueOf(rs.getString(2)))).list();
    }

    Optional<GroupRole> role(String group, String username) {
        return jdbc.sql("SELECT role FROM group_members WHERE group_name = ? AND username = ?").params(group, username)
                .query(String.class).optional().map(GroupRole::valueOf);
    }

    /** The groups {@code username} belongs to, with their role in each, by name. */
    List<Membership> membershipsOf(String username) {
        return jdbc.sql("SELECT group_name, role FROM group_members WHERE username = ? ORDER BY group_name").param(username)
                .query((rs, n) -> new Membership(rs.getString(1), GroupRole.valueOf(rs.getString(2)))).list();
    }

    /** Adds a member, or changes the role of one already there. */
    void putMember(String group, String username, GroupRole role) {
        int updated = jdbc.sql("UPDATE group_members SET role = ? WHERE group_name = ? AND username = ?")
                .params(role.name(), group, username).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO group_members (group_name, username, role) VALUES (?, ?, ?)")
                    .params(group, username, role.name()).update();
        }
    }

    boolean removeMember(String group, String username) {
        return jdbc.sql("DELETE FROM group_members WHERE group_name = ? AND username = ?").params(group, username).update() > 0;
    }
}
