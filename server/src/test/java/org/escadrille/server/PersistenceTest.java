package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same migrations and the same SQL on H2 and PostgreSQL: what is queued survives a restart of the
 * server and runs to the end after it. PostgreSQL runs where {@code .ci/run} started it (a throwaway
 * database per test), and is skipped elsewhere with the reason.
 */
@Tag("e2e")
class PersistenceTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void queuedWorkSurvivesARestartAndFinishes(String databaseName) throws Exception {
        if (databaseName.equals("PostgreSQL")) {
            Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        }
        Path dataDir = Files.createTempDirectory("escadrille-persistence-");
        try (var database = databaseName.equals("H2") ? TestDatabases.h2(dataDir) : TestDatabases.freshPostgres()) {
            String id;
            String key;
            try (var first = TestServer.builder().pilots(false).dataDir(dataDir).database(database).start()) {
                key = first.adminKey();
                var launched = first.admin().post("/api/v1/executions",
                        ApiClient.json(Map.of("app", "pi", "inputs", Map.of("events", "1000000"))));
                assertThat(launched.status()).as(launched.body()).isEqualTo(201);
                id = launched.json().path("id").asString();
                assertThat(first.admin().get("/api/v1/executions/" + id).json().path("status").asString()).isEqualTo("Ready");
            }

            try (var second = TestServer.builder().pilots(true).dataDir(dataDir).database(database).start()) {
                var admin = second.admin();
                assertThat(second.adminKey()).isEqualTo(key);
                var execution = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> admin.get("/api/v1/executions/" + id).json(),
                                e -> e.path("status").asString().equals("Finished"));
                assertThat(execution.path("outputs").get(0).path("sha256").asString()).hasSize(64);
                assertThat(admin.get("/api/v1/apps").json().findValuesAsString("name")).contains("pi");
            }
        }
    }
}
