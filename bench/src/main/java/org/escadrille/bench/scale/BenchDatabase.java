package org.escadrille.bench.scale;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * The database a server under test uses: the embedded H2 file in its data directory (the default, as a
 * newcomer's server has), or a PostgreSQL database made for the run and dropped after it, as a site with
 * thousands of pilots would use.
 *
 * @param url      the JDBC URL the bench seeds and the server uses
 * @param settings the server's command-line settings that point it there (none for H2: its default)
 * @param drop     what to run, on the PostgreSQL server's own database, to drop it after the run (empty for H2)
 */
record BenchDatabase(String url, String user, String password, List<String> settings, Runnable drop) {

    /** The embedded database the server makes in {@code dataDir} by default. */
    static BenchDatabase h2(Path dataDir) {
        return new BenchDatabase("jdbc:h2:file:" + dataDir.resolve("db").resolve("escadrille") + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256",
                "sa", "", List.of(), () -> { });
    }

    /**
     * A new, empty database {@code name} on the PostgreSQL server that {@code adminUrl} reaches (a database of it
     * the user may connect to; the user needs CREATEDB, as CI's {@code escadrille} role has). A database of the same
     * name left by an earlier run is dropped first.
     */
    static BenchDatabase postgres(String adminUrl, String user, String password, String name) throws SQLException {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("a database name of lowercase letters, digits and _, got " + name);
        }
        try (var connection = DriverManager.getConnection(adminUrl, user, password); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
        String url = withDatabase(adminUrl, name);
        Runnable drop = () -> {
            try (var connection = DriverManager.getConnection(adminUrl, user, password); var statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("scale: could not drop the database " + name + ": " + e.getMessage());
            }
        };
        return new BenchDatabase(url, user, password, List.of("--spring.datasource.url=" + url,
                "--spring.datasource.username=" + user, "--spring.datasource.password=" + password), drop);
    }

    /** {@code url} (a PostgreSQL JDBC URL) naming database {@code name} instead, its parameters kept. */
    static String withDatabase(String url, String name) {
        int start = url.indexOf('/', "jdbc:postgresql://".length());
        if (!url.startsWith("jdbc:postgresql://") || start < 0) {
            throw new IllegalArgumentException("a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got " + url);
        }
        int end = url.indexOf('?', start);
        return url.substring(0, start + 1) + name + (end < 0 ? "" : url.substring(end));
    }
}
