package org.escadrille.server.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An elastic site for real (its pilots are child processes, {@link ChildProcessKind}): no pilot
 * without work, pilots for the queued tasks within the site's limits, and none left once the work is
 * done, since they leave after their idle timeout.
 */
@Tag("e2e")
class ElasticSiteEndToEndTest {
    private static TestServer server;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).property("escadrille.test.child-process-kind", "true").start();
        admin = server.admin();
        var published = admin.post("/api/v1/apps", """
                {"name": "echo-n", "tool-version": "1.0", "schema-version": "0.5", "description": "Writes its number.",
                 "command-line": "echo [N] > n.txt",
                 "inputs": [{"id": "n", "name": "N", "type": "Number", "value-key": "[N]"}],
                 "output-files": [{"id": "out", "name": "Out", "path-template": "n.txt"}]}""");
        assertThat(published.status()).as(published.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pilotsComeForTheQueuedWorkWithinTheLimitsAndLeaveWhenItIsDone() {
        var site = admin.post("/api/v1/sites", """
                {"name": "cluster", "kind": "processes", "settings": {"idle-timeout": "8s", "sandbox": "none"},
                 "maxQueued": 2, "maxRunning": 3, "slotsPerPilot": 2}""");
        assertThat(site.status()).as(site.body()).isEqualTo(201);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> pilotsOf("cluster").isEmpty());

        var ids = new ArrayList<String>();
        for (int n = 0; n < 8; n++) {
            ids.add(admin.launch(Map.of("app", "echo-n", "inputs", Map.of("n", n))));
        }
        for (String id : ids) {
            JsonNode execution = admin.awaitEnd(id, Duration.ofSeconds(90));
            assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        }

        await().atMost(Duration.ofSeconds(40)).until(() -> admin.get("/api/v1/sites/cluster").json().path("health")
                .path("pilotsRunning").asInt() == 0);
        var health = admin.get("/api/v1/sites/cluster").json().path("health");
        assertThat(health.path("pilotsQueued").asInt()).as("no pilot left waiting once the work is done").isZero();
        assertThat(health.path("healthy").asBoolean()).isTrue();
        // Launched within a second, the work never left a pilot idle for 8 s before it was done.
        assertThat(pilotsOf("cluster")).as("never more than maxRunning").hasSizeBetween(1, 3)
                .allSatisfy(pilot -> assertThat(pilot.slots()).isEqualTo(2));
    }

    /** Every pilot the site ever had, alive or ended. */
    private static List<PilotRegistry.PilotInfo> pilotsOf(String site) {
        return server.bean(PilotRegistry.class).recent(1000).stream()
                .filter(pilot -> "processes".equals(pilot.backend())).toList();
    }
}
