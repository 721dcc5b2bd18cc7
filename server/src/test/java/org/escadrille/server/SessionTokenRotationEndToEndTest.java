package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A real local pilot whose session tokens live 2 s keeps working for several lifetimes: each
 * heartbeat (every 500 ms) brings it a fresh token, which it uses from then on.
 */
@Tag("e2e")
class SessionTokenRotationEndToEndTest {

    @Test
    void aPilotOutlivesManyTokenLifetimesByRotation() {
        try (var server = TestServer.builder().pilots(true)
                .property("escadrille.local.slots", "1")
                .property("escadrille.pilots.session-token-lifetime", "2s")
                .property("escadrille.pilots.session-token-grace", "1s")
                .start()) {
            var alice = Researcher.of(server, "alice");
            var published = server.admin().post("/api/v1/apps", """
                    {"name": "slow", "tool-version": "1", "schema-version": "0.5", "description": "d",
                     "command-line": "sleep [SECONDS]; echo done > out.txt",
                     "inputs": [{"id": "seconds", "name": "S", "type": "Number", "value-key": "[SECONDS]"}],
                     "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
            assertThat(published.status()).as(published.body()).isIn(200, 201);

            String slow = alice.launch(Map.of("app", "slow", "inputs", Map.of("seconds", 7)));
            JsonNode first = alice.awaitEnd(slow, Duration.ofSeconds(60));
            String after = alice.launch(Map.of("app", "slow", "inputs", Map.of("seconds", 0)));
            JsonNode second = alice.awaitEnd(after, Duration.ofSeconds(60));

            assertThat(first.path("status").asString()).as(first.toString()).isEqualTo("Finished");
            assertThat(second.path("status").asString()).as(second.toString()).isEqualTo("Finished");
            assertThat(alice.tasks(slow).get(0).path("attempts")).as("run once, never lost").hasSize(1);
            assertThat(server.bean(PilotRegistry.class).recent(10)).as("the same pilot throughout").hasSize(1);
        }
    }
}
