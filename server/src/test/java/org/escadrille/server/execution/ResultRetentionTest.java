package org.escadrille.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.escadrille.server.ApiClient;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.MovableClock;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.PortalVisitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code escadrille.housekeeping.retention}: an ended execution is announced for deletion from the notice
 * period on, and deleted with its results once the retention has passed, by the server's own deletion.
 * The rule runs on a clock the test moves; the server around it is real.
 */
@Tag("e2e")
class ResultRetentionTest {
    private static final Duration RETENTION = Duration.ofDays(90);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false)
                .property("escadrille.housekeeping.retention", "90d")
                .property("escadrille.housekeeping.retention-notice", "7d").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anExecutionPastTheRetentionIsDeletedWithItsResultsAndAnnouncedBeforehand() {
        ApiClient rita = server.newUser("rita");
        Instant ended = Instant.ofEpochMilli(Instant.now().minus(Duration.ofDays(200)).toEpochMilli());
        String id = endedExecution("rita", ended, "results/old");
        assertThat(rita.put("/api/v1/files/results/old/out.txt", "result".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
        var clock = new MovableClock(ended.plus(Duration.ofDays(80)));
        var retention = retention(clock);

        assertThat(retention.deletionNotice(ended.toEpochMilli())).as("before the notice period").isEmpty();
        clock.advance(Duration.ofDays(4));
        assertThat(retention.deletionNotice(ended.toEpochMilli())).contains(ended.plus(RETENTION));
        retention.expire();
        assertThat(rita.get("/api/v1/executions/" + id).status()).as("announced, not yet due").isEqualTo(200);

        clock.advance(Duration.ofDays(6).plusMinutes(1));
        int deleted = retention.expire();

        assertThat(deleted).as("this one, and any older one of the other tests").isPositive();
        assertThat(rita.get("/api/v1/executions/" + id).status()).isEqualTo(404);
        assertThat(rita.get("/api/v1/files/results/old/out.txt").status()).isEqualTo(404);
        assertThat(retention.expire()).as("nothing left to delete").isZero();
    }

    @Test
    void theExecutionsApiViewSaysWhenItsResultsWillBeDeleted() {
        ApiClient sam = server.newUser("sam");
        Instant ended = Instant.ofEpochMilli(Instant.now().minus(Duration.ofDays(85)).toEpochMilli());
        String announced = endedExecution("sam", ended, "results/announced");
        String recent = endedExecution("sam", Instant.now().minus(Duration.ofDays(1)), "results/recent");

        var view = sam.get("/api/v1/executions/" + announced).json();

        assertThat(Instant.parse(view.path("resultsDeletedAt").asString())).isEqualTo(ended.plus(RETENTION));
        assertThat(sam.get("/api/v1/executions/" + recent).json().path("resultsDeletedAt").isNull()).isTrue();
    }

    @Test
    void theExecutionPageSaysWhenItsResultsWillBeDeleted() {
        server.newUser("tess");
        String announced = endedExecution("tess", Instant.now().minus(Duration.ofDays(88)), "results/page");
        String recent = endedExecution("tess", Instant.now().minus(Duration.ofDays(2)), "results/page-recent");
        var browser = new PortalVisitor(server.url(), "203.0.113.14");
        browser.signIn("tess", "password-tess");

        assertThat(browser.get("/executions/" + announced).body()).contains("id=\"retention-notice\"")
                .contains("This execution and its results will be deleted on");
        assertThat(browser.get("/executions/" + recent).body()).doesNotContain("retention-notice");
    }

    @Test
    void withoutARetentionNothingIsEverDeleted() {
        String id = endedExecution("rita2", Instant.now().minus(Duration.ofDays(5000)), "results/kept");
        var properties = EscadrilleProperties.withDataDir(server.dataDir());
        var retention = new ResultRetention(server.bean(ExecutionRepository.class), server.bean(ExecutionDeletion.class),
                properties, new MovableClock(Instant.now()));

        assertThat(retention.expire()).isZero();
        assertThat(retention.deletionNotice(0L)).isEmpty();
        assertThat(server.bean(ExecutionRepository.class).findVisible(id)).isPresent();
    }

    private static ResultRetention retention(MovableClock clock) {
        return new ResultRetention(server.bean(ExecutionRepository.class), server.bean(ExecutionDeletion.class),
                server.bean(EscadrilleProperties.class), clock);
    }

    /** A Finished execution of the user's (created if need be) that ended at {@code ended}, its outputs in {@code outputDir}. */
    private static String endedExecution(String username, Instant ended, String outputDir) {
        var jdbc = server.bean(JdbcClient.class);
        if (jdbc.sql("SELECT COUNT(*) FROM users WHERE username = ?").param(username).query(Long.class).single() == 0) {
            server.newUser(username);
        }
        String ownerId = jdbc.sql("SELECT id FROM users WHERE username = ?").param(username).query(String.class).single();
        String appId = jdbc.sql("SELECT id FROM applications ORDER BY id FETCH FIRST 1 ROWS ONLY").query(String.class).single();
        String id = Ids.newId();
        long at = ended.toEpochMilli();
        jdbc.sql("""
                        INSERT INTO executions (id, owner_id, name, app_id, status, invocation, iterate, output_dir,
                                                created_at, started_at, ended_at)
                        VALUES (?, ?, 'old', ?, 'Finished', '{}', 'cross', ?, ?, ?, ?)""")
                .params(id, ownerId, appId, outputDir, at - 60_000, at - 50_000, at).update();
        return id;
    }
}
