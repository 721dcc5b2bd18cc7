package org.escadrille.server.site;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code sites} table: each site's definition, its manual token's hash, and the health the factory writes. */
@Repository
class SiteRepository {
    private static final String COLUMNS = "name, kind, enabled, settings, max_queued, max_running, max_slots, slots_per_pilot,"
            + " memory_mb_per_pilot, tags, created_at, created_by, last_submission_at, consecutive_failures, failing_since,"
            + " last_error, backoff_until";
    private static final TypeReference<Map<String, String>> SETTINGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    SiteRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<Site> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sites ORDER BY name").query(this::site).list();
    }

    Optional<Site> find(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sites WHERE name = ?").param(name).query(this::site).optional();
    }

    /** The site whose manual token has this hash, if it was not revoked. */
    Optional<Site> findByTokenHash(String hash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sites WHERE token_hash = ?").param(hash).query(this::site).optional();
    }

    void insert(Site site, String tokenHash) {
        var limits = site.limits();
        jdbc.sql("INSERT INTO sites (name, kind, enabled, settings, max_queued, max_running, max_slots, slots_per_pilot,"
                        + " memory_mb_per_pilot, tags, token_hash, created_at, created_by)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(site.name(), site.kind(), site.enabled(), json.writeValueAsString(site.settings()), limits.maxQueued(),
                        limits.maxRunning(), limits.maxSlots(), limits.slotsPerPilot(), limits.memoryMbPerPilot(),
                        String.join(",", site.tags()), tokenHash, site.createdAt().toEpochMilli(), site.createdBy())
                .update();
    }

    /** Writes what an administrator may change: enabled, settings, limits, tags. */
    void update(Site site) {
        var limits = site.limits();
        jdbc.sql("UPDATE sites SET enabled = ?, settings = ?, max_queued = ?, max_running = ?, max_slots = ?,"
                        + " slots_per_pilot = ?, memory_mb_per_pilot = ?, tags = ? WHERE name = ?")
                .params(site.enabled(), json.writeValueAsString(site.settings()), limits.maxQueued(), limits.maxRunning(),
                        limits.maxSlots(), limits.slotsPerPilot(), limits.memoryMbPerPilot(), String.join(",", site.tags()),
                        site.name())
                .update();
    }

    void health(String name, Site.Health health) {
        jdbc.sql("UPDATE sites SET last_submission_at = ?, consecutive_failures = ?, failing_since = ?, last_error = ?,"
                        + " backoff_until = ? WHERE name = ?")
                .params(millis(health.lastSubmissionAt()), health.consecutiveFailures(), millis(health.failingSince()),
                        cut(health.lastError()), millis(health.backoffUntil()), name)
                .update();
    }

    /** Sets (or, with null, revokes) the site's token. */
    void tokenHash(String name, String hash) {
        jdbc.sql("UPDATE sites SET token_hash = ? WHERE name = ?").params(hash, name).update();
    }

    boolean delete(String name) {
        return jdbc.sql("DELETE FROM sites WHERE name = ?").param(name).update() == 1;
    }

    private Site site(ResultSet rs, int row) throws SQLException {
        String tags = rs.getString(10);
        return new Site(rs.getString(1), rs.getString(2), rs.getBoolean(3), json.readValue(rs.getString(4), SETTINGS),
                new Site.Limits(rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8), (Long) rs.getObject(9, Long.class)),
                tags == null || tags.isBlank() ? List.of() : Arrays.asList(tags.split(",")),
                Instant.ofEpochMilli(rs.getLong(11)), rs.getString(12),
                new Site.Health(instant(rs, 13), rs.getInt(14), instant(rs, 15), rs.getString(16), instant(rs, 17)));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static String cut(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }
}
