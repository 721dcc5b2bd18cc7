package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.site.SiteFactory;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two real pilots of one slot each. A straggler (a task stuck on one pilot) is replicated on the
 * other and the first to finish wins; a pilot whose attempts keep failing fast while the other's
 * succeed stops getting tasks, and its tasks are retried on the other.
 */
@Tag("e2e")
class StragglersAndBlackHolesTest {
    private static TestServer server;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true)
                .property("escadrille.local.pilots", "2").property("escadrille.local.slots", "1")
                .property("escadrille.scheduling.straggler-factor", "3")
                .property("escadrille.scheduling.straggler-minimum", "2s")
                // The attempts of the straggler test meet in a shared directory, which a sandbox rightly hides.
                .property("escadrille.security.local-pilot-sandbox", "none")
                .start();
        admin = server.admin();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.bean(PilotRegistry.class)
                .liveSlots(10_000) == 2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String launch(String app, Map<String, Object> inputs) {
        return admin.launch(Map.of("app", app, "iterate", "dot", "inputs", inputs));
    }

    @Test
    void aStragglerIsReplicatedAndTheFirstToFinishWins() throws Exception {
        Path claims = Files.createTempDirectory("escadrille-claims-");
        // The first attempt of each task claims it; only task 5's first attempt is slow (60 s): its replica,
        // finding the claim, takes a second, and wins.
        var published = admin.post("/api/v1/apps", """
                {"name": "straggly", "tool-version": "1", "schema-version": "0.5", "description": "slow once",
                 "command-line": "if mkdir [DIR]/claim-[I] 2>/dev/null; then sleep [SLOW]; else sleep 1; fi; echo [I] > out.txt",
                 "inputs": [{"id": "i", "name": "i", "type": "Number", "integer": true, "value-key": "[I]"},
                            {"id": "slow", "name": "slow", "type": "Number", "value-key": "[SLOW]"},
                            {"id": "dir", "name": "dir", "type": "String", "value-key": "[DIR]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
        assertThat(published.status()).as(published.body()).isIn(200, 201);

        String id = launch("straggly", Map.of("i", List.of(0, 1, 2, 3, 4, 5), "slow", List.of(0.5, 0.5, 0.5, 0.5, 0.5, 60),
                "dir", claims.toString()));

        JsonNode execution = admin.awaitEnd(id, Duration.ofSeconds(45));
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        // The loser is cancelled within a heartbeat of the winner's end.
        JsonNode slow = await().atMost(Duration.ofSeconds(10)).until(
                () -> admin.get("/api/v1/executions/" + id + "/tasks").json().get(5),
                task -> task.path("attempts").findValuesAsString("status").contains("CANCELLED"));
        var statuses = new ArrayList<String>();
        slow.path("attempts").forEach(a -> statuses.add(a.path("status").asString()));
        assertThat(statuses).containsExactlyInAnyOrder("CANCELLED", "SUCCEEDED");
        assertThat(slow.path("attempts").get(0).path("pilotId").asString())
                .isNotEqualTo(slow.path("attempts").get(1).path("pilotId").asString());
        assertThat(execution.path("outputs")).hasSize(6);
    }

    @Test
    void aPilotWhoseTasksFailFastWhileOthersSucceedGetsNoMoreTasks() {
        var local = server.bean(SiteFactory.class).localBackend().orElseThrow();
        String broken = local.active().iterator().next();
        // Every attempt fails at once on one pilot (its working directories carry its id), works on the other.
        var published = admin.post("/api/v1/apps", """
                {"name": "picky", "tool-version": "1", "schema-version": "0.5", "description": "fails on one pilot",
                 "command-line": "case \\"$PWD\\" in *[BAD]*) exit 3;; esac; sleep 0.2; echo [I] > out.txt",
                 "inputs": [{"id": "i", "name": "i", "type": "Number", "integer": true, "value-key": "[I]"},
                            {"id": "bad", "name": "bad", "type": "String", "value-key": "[BAD]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
        assertThat(published.status()).as(published.body()).isIn(200, 201);
        var indexes = new ArrayList<Integer>();
        for (int i = 0; i < 30; i++) {
            indexes.add(i);
        }

        String id = admin.post("/api/v1/executions", ApiClient.json(Map.of("app", "picky",
                "inputs", Map.of("i", indexes, "bad", broken)))).json().path("id").asString();

        JsonNode execution = admin.awaitEnd(id, Duration.ofSeconds(90));
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        var pilots = server.bean(PilotRegistry.class).recent(10);
        assertThat(pilots).anySatisfy(p -> {
            assertThat(p.id()).isEqualTo(broken);
            assertThat(p.state()).isEqualTo("BLACKHOLE");
        });
        var scrape = server.admin().get("/actuator/prometheus").body();
        assertThat(scrape).contains("escadrille_pilots_blackholes_total 1.0");
    }
}
