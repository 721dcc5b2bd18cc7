package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A one-user installation ({@code escadrille run --embedded} on a laptop) runs tasks on a pilot that
 * has no sandbox, as on a machine without bubblewrap: the README's first command must work there.
 */
@Tag("e2e")
class OneUserInstallationTest {

    @Test
    void tasksRunOnAPilotWithoutASandbox() {
        try (var server = TestServer.builder().pilots(true).property("escadrille.security.single-user", "true")
                .property("escadrille.security.local-pilot-sandbox", "none").start()) {
            var carol = Researcher.of(server, "carol");

            String id = carol.launch(Map.of("app", "pi", "split", "none", "inputs", Map.of("events", "100000", "seed", 3)));
            JsonNode execution = carol.awaitEnd(id, Duration.ofSeconds(60));

            assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        }
    }
}
