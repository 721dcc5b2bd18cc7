package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery after an unclean stop reloads the embedded database from a dump: every row survives,
 * the dump is removed, and the marker of a running server is back. (The corruption itself, an index
 * out of step with its table after a SIGKILL, is H2's and cannot be produced on demand; ChaosTest
 * kills the server five times on H2 and would hang on a task that can no longer be leased.)
 */
class EmbeddedDatabaseRecoveryTest {

    @Test
    void afterAnUncleanStopTheDatabaseIsReloadedWithEveryRow(@TempDir Path dataDir) throws Exception {
        String url = "jdbc:h2:file:" + dataDir.resolve("db/escadrille");
        Flyway flyway = Flyway.configure().dataSource(url, "sa", "").load();
        var recovery = new EmbeddedDatabaseRecovery(EscadrilleProperties.withDataDir(dataDir), Clock.systemUTC());
        recovery.recoverThenMigrate().migrate(flyway);
        assertThat(dataDir.resolve(EmbeddedDatabaseRecovery.MARKER)).exists();
        try (var connection = DriverManager.getConnection(url, "sa", ""); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO users (id, username, password_hash, role, created_at) "
                    + "VALUES ('u1', 'alice', 'x', 'USER', 0)");
        }

        // The marker is still there, as after a SIGKILL: the next start reloads the database.
        recovery.recoverThenMigrate().migrate(flyway);

        try (var connection = DriverManager.getConnection(url, "sa", ""); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT username FROM users WHERE id = 'u1'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("alice");
        }
        try (var dumps = Files.list(dataDir.resolve("recovery"))) {
            assertThat(dumps).as("the dump, once loaded").isEmpty();
        }
        assertThat(dataDir.resolve(EmbeddedDatabaseRecovery.MARKER)).exists();

        recovery.stoppedCleanly();
        assertThat(dataDir.resolve(EmbeddedDatabaseRecovery.MARKER)).doesNotExist();
    }

    @Test
    void everyStartMakesTheEmbeddedDatabaseWriteItsCommitsAtOnce(@TempDir Path dataDir) throws Exception {
        String url = "jdbc:h2:file:" + dataDir.resolve("db/escadrille");
        Flyway flyway = Flyway.configure().dataSource(url, "sa", "").load();

        new EmbeddedDatabaseRecovery(EscadrilleProperties.withDataDir(dataDir), Clock.systemUTC()).recoverThenMigrate().migrate(flyway);

        // A persistent setting: a new connection (the database opened again) still has it.
        try (var connection = DriverManager.getConnection(url, "sa", ""); var statement = connection.createStatement();
             var rows = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("0");
        }
    }
}
