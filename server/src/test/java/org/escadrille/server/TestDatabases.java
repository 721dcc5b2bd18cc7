package org.escadrille.server;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The databases persistence tests run against: H2 always, and PostgreSQL when
 * {@code ESCADRILLE_TEST_PG_URL} (plus {@code _USER}, {@code _PASSWORD}) names a server, as
 * {@code .ci/run} does after starting the machine's PostgreSQL. Each PostgreSQL test gets a
 * throwaway database, dropped when it closes.
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    /** A database to point the server at; {@code close} drops it if it was made for the test. */
    public record Database(String name, String url, String username, String password, Runnable dropper) implements AutoCloseable {
        @Override
        public void close() {
            dropper.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Why PostgreSQL tests are skipped here, or empty when they can run. */
    public static Optional<String> postgresMissing() {
        return System.getenv("ESCADRILLE_TEST_PG_URL") == null
                ? Optional.of("ESCADRILLE_TEST_PG_URL is not set: no PostgreSQL to test against (.ci/run sets it)")
                : Optional.empty();
    }

    public static Database h2(Path dir) {
        return new Database("H2", "jdbc:h2:file:" + dir.resolve("db/escadrille") + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256", "sa", "", () -> { });
    }

    /** A fresh PostgreSQL database on the configured server. */
    public static Database freshPostgres() {
        String adminUrl = System.getenv("ESCADRILLE_TEST_PG_URL");
        String user = System.getenv().getOrDefault("ESCADRILLE_TEST_PG_USER", "escadrille");
        String password = System.getenv().getOrDefault("ESCADRILLE_TEST_PG_PASSWORD", "escadrille");
        String name = "escadrille_test_" + Ids.newId().toLowerCase(Locale.ROOT);
        execute(adminUrl, user, password, "CREATE DATABASE " + name);
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
        return new Database("PostgreSQL", url, user, password,
                () -> execute(adminUrl, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    /** H2 in {@code dir}, plus a fresh PostgreSQL when one is configured. */
    public static List<String> available() {
        var names = new ArrayList<String>(List.of("H2"));
        if (postgresMissing().isEmpty()) {
            names.add("PostgreSQL");
        }
        return names;
    }

    private static void execute(String url, String user, String password, String sql) {
        try (var connection = DriverManager.getConnection(url, user, password); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + url + ": " + e.getMessage(), e);
        }
    }
}
