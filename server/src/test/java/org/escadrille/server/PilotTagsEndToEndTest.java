package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A tool that declares pilot tags runs only on pilots registered with all of them. The local pilot
 * here has the tag {@code site-a} and not {@code gpu}.
 */
@Tag("e2e")
class PilotTagsEndToEndTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).property("escadrille.local.tags", "site-a").start();
        alice = Researcher.of(server, "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String descriptor(String name, String tags) {
        return """
                {"name": "%s", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "echo done [X] > out.txt",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]", "optional": true}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}],
                 "custom": {"escadrille:pilot-tags": %s}}""".formatted(name, tags);
    }

    @Test
    void aTaskWaitsForAPilotWithItsTagsWhileTheOthersRun() {
        assertThat(server.admin().post("/api/v1/apps", descriptor("needs-gpu", "[\"gpu\"]")).status()).isIn(200, 201);
        assertThat(server.admin().post("/api/v1/apps", descriptor("needs-site-a", "[\"site-a\"]")).status()).isIn(200, 201);

        // The gpu task is queued first: were tags ignored, the only pilot would take it first.
        String gpu = alice.launch(Map.of("app", "needs-gpu"));
        String siteA = alice.launch(Map.of("app", "needs-site-a"));

        JsonNode ran = alice.awaitEnd(siteA, LIMIT);
        assertThat(ran.path("status").asString()).as(ran.toString()).isEqualTo("Finished");
        JsonNode waiting = alice.api().get("/api/v1/executions/" + gpu).json();
        assertThat(waiting.path("tasks").path("queued").asInt()).as(waiting.toString()).isEqualTo(1);
        assertThat(alice.tasks(gpu).get(0).path("attempts")).as("attempts of the gpu task").isEmpty();
    }

    @Test
    void malformedPilotTagsAreRefusedAtPublicationNamingTheField() {
        var response = server.admin().post("/api/v1/apps", descriptor("bad-tags", "[\"gpu\", \"two words\"]"));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("custom.escadrille:pilot-tags[1]", "two words");
    }
}
