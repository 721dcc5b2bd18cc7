package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The server killed with SIGKILL while a task runs: on restart, the pilot that runs it reconnects and
 * the task is re-adopted (one attempt, not two), and the execution finishes with its result.
 */
@Tag("e2e")
class CrashRecoveryTest {

    @Test
    void aRunningTaskIsReadoptedAfterTheServerIsKilled() throws Exception {
        try (var server = new ServerProcess(Files.createTempDirectory("escadrille-crash-"), Map.of(
                "escadrille.local.slots", "1", "escadrille.scheduling.lease", "10s",
                "escadrille.scheduling.heartbeat", "1s"))) {
            server.start();
            var admin = server.admin();
            var launched = admin.post("/api/v1/executions", ApiClient.json(Map.of("app", "pi", "split", "none",
                    "inputs", Map.of("events", "2500000000"))));
            String id = launched.json().path("id").asString();
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> admin.get("/api/v1/executions/" + id).json().path("status").asString().equals("Running"));

            server.kill();
            server.start();

            JsonNode execution = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> admin.get("/api/v1/executions/" + id).json(),
                            e -> e.path("status").asString().matches("Finished|ExecutionFailed"));
            assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
            JsonNode attempts = admin.get("/api/v1/executions/" + id + "/tasks").json().get(0).path("attempts");
            assertThat(attempts).as("re-adopted, not run again").hasSize(1);
            assertThat(attempts.get(0).path("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(execution.path("outputs")).hasSize(1);
        }
    }
}
