package org.escadrille.server.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the applications table. */
@Repository
class ApplicationRepository {
    private static final String COLUMNS = "id, name, version, digest, descriptor, published_at";
    private static final RowMapper<Application> ROW = (rs, n) -> new Application(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6));

    private final JdbcClient jdbc;

    ApplicationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Application application, String publishedBy) {
        jdbc.sql("INSERT INTO applications (" + COLUMNS + ", published_by) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(application.id(), application.name(), application.version(), application.digest(),
                        application.descriptorJson(), application.publishedAtMs(), publishedBy)
                .update();
    }

    Optional<Application> byDigest(String digest) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM applications WHERE digest = ?").param(digest).query(ROW).optional();
    }

    Optional<Application> byId(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM applications WHERE id = ?").param(id).query(ROW).optional();
    }

    Optional<Application> byNameAndVersion(String name, String version) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM applications WHERE name = ? AND version = ?")
                .params(name, version).query(ROW).optional();
    }

    /** The version unless it was withdrawn: what may be launched. */
    Optional<Application> listedByNameAndVersion(String name, String version) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM applications WHERE name = ? AND version = ? AND withdrawn_at IS NULL")
                .params(name, version).query(ROW).optional();
    }

    /** Every listed (not withdrawn) version, by name, newest first. */
    List<Application> listed() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM applications WHERE withdrawn_at IS NULL ORDER BY name, published_at DESC, id")
                .query(ROW).list();
    }

    /** The listed versions of one application, newest first. */
    List<Application> listed(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM applications WHERE name = ? AND withdrawn_at IS NULL"
                        + " ORDER BY published_at DESC, id")
                .param(name).query(ROW).list();
    }

    /** The groups a version is restricted to, by name; empty: public. */
    List<String> groups(String appId) {
        return jdbc.sql("SELECT group_name FROM app_version_groups WHERE app_id = ? ORDER BY group_name").param(appId)
                .query(String.class).list();
    }

    /** Every restricted version's id, with its groups. */
    Map<String, Set<String>> restrictions() {
        var restricted = new HashMap<String, Set<String>>();
        jdbc.sql("SELECT app_id, group_name FROM app_version_groups").query((rs, n) -> {
            restricted.computeIfAbsent(rs.getString(1), id -> new TreeSet<>()).add(rs.getString(2));
            return null;
        }).list();
        return restricted;
    }

    void setGroups(String appId, Collection<String> groups) {
        jdbc.sql("DELETE FROM app_version_groups WHERE app_id = ?").param(appId).update();
        for (String group : groups) {
            jdbc.sql("INSERT INTO app_version_groups (app_id, group_name) VALUES (?, ?)").params(appId, group).update();
        }
    }

    /** Every version published by {@code publisherId} (null: by anyone), withdrawn ones included, by name, newest first. */
    List<PublishedVersion> versions(String publisherId) {
        // Two statements rather than "? IS NULL": PostgreSQL cannot type a null parameter there.
        var statement = publisherId == null
                ? jdbc.sql("SELECT " + COLUMNS + ", withdrawn_at FROM applications ORDER BY name, published_at DESC, id")
                : jdbc.sql("SELECT " + COLUMNS + ", withdrawn_at FROM applications WHERE published_by = ?"
                        + " ORDER BY name, published_at DESC, id").param(publisherId);
        return statement.query((rs, n) -> {
                    long withdrawn = rs.getLong(7);
                    Instant withdrawnAt = rs.wasNull() ? null : Instant.ofEpochMilli(withdrawn);
                    return new PublishedVersion(ROW.mapRow(rs, n), withdrawnAt);
                })
                .list();
    }

    Optional<String> publisher(String id) {
        return jdbc.sql("SELECT published_by FROM applications WHERE id = ?").param(id).query(String.class).optional();
    }

    /** Whether an execution refers to the application (the foreign key that keeps it for provenance). */
    boolean usedByExecutions(String id) {
        return jdbc.sql("SELECT 1 FROM executions WHERE app_id = ? FETCH FIRST 1 ROWS ONLY").param(id)
                .query(Integer.class).optional().isPresent();
    }

    /** Erases an application; fails on the foreign key when executions refer to it. */
    void erase(String id) {
        jdbc.sql("DELETE FROM applications WHERE id = ?").param(id).update();
    }

    void withdraw(String id, long now) {
        jdbc.sql("UPDATE applications SET withdrawn_at = ? WHERE id = ?").params(now, id).update();
    }

    /** Lists a withdrawn application again (published anew with the same descriptor). */
    void restore(String id) {
        jdbc.sql("UPDATE applications SET withdrawn_at = NULL WHERE id = ? AND withdrawn_at IS NOT NULL").param(id).update();
    }
}
