package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.server.site.SiteFactory;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Dynamic Monte-Carlo splitting with the real pi program on real pilots: two pilot processes of one
 * slot each. Every task aims at the whole total; when the reported events reach it, all stop and
 * their partial counts are merged.
 */
@Tag("e2e")
class MonteCarloTest {
    private static TestServer server;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).property("escadrille.local.pilots", "2")
                .property("escadrille.local.slots", "1").start();
        alice = server.newUser("alice");
        // Both pilots registered: the run starts with one task per slot.
        await().atMost(Duration.ofSeconds(30)).until(() -> server.bean(PilotRegistry.class)
                .liveSlots(10_000) == 2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String launch(Map<String, Object> request) {
        return alice.launch(request);
    }

    private static JsonNode awaitEnd(String id) {
        return alice.awaitEnd(id, Duration.ofSeconds(120));
    }

    private static JsonNode merged(JsonNode execution) {
        for (JsonNode output : execution.path("outputs")) {
            if (output.path("merged").asBoolean()) {
                return output;
            }
        }
        throw new AssertionError("no merged output in " + execution);
    }

    @Test
    void everySlotWorksUntilTheTotalAndAllTasksEndTogether() {
        String id = launch(Map.of("app", "pi", "inputs", Map.of("events", "800000000", "seed", 11)));

        JsonNode execution = awaitEnd(id);

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode run = execution.path("monteCarlo");
        assertThat(run.path("split").asString()).isEqualTo("dynamic");
        assertThat(run.path("tasks")).hasSizeGreaterThanOrEqualTo(2);
        var seeds = new ArrayList<Long>();
        run.path("tasks").forEach(task -> seeds.add(task.path("seed").asLong()));
        assertThat(seeds).doesNotHaveDuplicates();
        JsonNode merged = merged(execution);
        assertThat(merged.path("path").asString()).isEqualTo(execution.path("outputDir").asString() + "/pi.json");
        JsonNode result = alice.get("/api/v1/files/" + merged.path("path").asString()).json();
        assertThat(result.path("total").asLong()).isGreaterThanOrEqualTo(800_000_000L)
                .isEqualTo(run.path("eventsDone").asLong());
        assertThat(result.path("estimate").asDouble()).isCloseTo(Math.PI, Offset.offset(0.0005));
        assertThat(result.path("estimate").asDouble())
                .isEqualTo(4.0 * result.path("inside").asLong() / result.path("total").asLong());

        var ends = new ArrayList<Instant>();
        alice.get("/api/v1/executions/" + id + "/tasks").json().forEach(task -> {
            JsonNode last = task.path("attempts").get(task.path("attempts").size() - 1);
            assertThat(last.path("status").asString()).isIn("STOPPED", "SUCCEEDED");
            ends.add(Instant.parse(last.path("endedAt").asString()));
        });
        Duration spread = Duration.between(ends.stream().min(Instant::compareTo).orElseThrow(),
                ends.stream().max(Instant::compareTo).orElseThrow());
        assertThat(spread).isLessThan(Duration.ofSeconds(2));
    }

    /**
     * A run of a second or so, where a stop order a heartbeat's round trip late was half the total again:
     * the pilots stop each task at its share. The benchmark documents the 2% aim; 10% here keeps a
     * loaded CI machine from failing it.
     */
    @Test
    void aShortRunEndsCloseToItsTotalNotAHeartbeatPastIt() {
        String id = launch(Map.of("app", "pi", "inputs", Map.of("events", "200000000", "seed", 13)));

        JsonNode execution = awaitEnd(id);

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode result = alice.get("/api/v1/files/" + merged(execution).path("path").asString()).json();
        assertThat(result.path("total").asLong()).as(execution.toString())
                .isBetween(200_000_000L, 220_000_000L)
                .isEqualTo(execution.path("monteCarlo").path("eventsDone").asLong());
    }

    /** VIP's "stop and merge": the run ends now, Finished with the events its tasks simulated, merged. */
    @Test
    void stopAndMergeEndsARunNowWithWhatItsTasksSimulated() {
        String id = launch(Map.of("app", "pi", "inputs", Map.of("events", "400000000000", "seed", 17)));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> alice
                .get("/api/v1/executions/" + id).json().path("monteCarlo").path("eventsDone").asLong() > 50_000_000L);

        var stopped = alice.post("/api/v1/executions/" + id + "/stop", "");

        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        JsonNode execution = awaitEnd(id);
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode run = execution.path("monteCarlo");
        assertThat(run.path("stoppedBy").asString()).isEqualTo("alice");
        long done = run.path("eventsDone").asLong();
        assertThat(done).isBetween(50_000_000L, 400_000_000_000L - 1);
        JsonNode result = alice.get("/api/v1/files/" + merged(execution).path("path").asString()).json();
        assertThat(result.path("total").asLong()).isEqualTo(done);
        run.path("tasks").forEach(task -> assertThat(task.path("status").asString()).isIn("STOPPED", "CANCELLED"));
        assertThat(alice.post("/api/v1/executions/" + id + "/stop", "").status())
                .as("an ended run has nothing to stop").isEqualTo(409);
    }

    /** A deleted run is killed as a killed one is: its cancelled tasks are not taken for a total left to reach. */
    @Test
    void aRunDeletedWhileItRunsStartsNoMoreTasks() {
        String id = launch(Map.of("app", "pi", "inputs", Map.of("events", "400000000000", "seed", 23)));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> alice
                .get("/api/v1/executions/" + id).json().path("monteCarlo").path("eventsDone").asLong() > 0);
        var jdbc = server.bean(JdbcClient.class);
        long tasks = jdbc.sql("SELECT COUNT(*) FROM tasks WHERE execution_id = ?").param(id).query(Long.class).single();

        assertThat(alice.delete("/api/v1/executions/" + id).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(3)).until(() -> jdbc
                .sql("SELECT COUNT(*) FROM tasks WHERE execution_id = ? AND status IN ('QUEUED', 'LEASED', 'RUNNING')")
                .param(id).query(Long.class).single() == 0);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM tasks WHERE execution_id = ?").param(id).query(Long.class).single())
                .as("tasks of the deleted run").isEqualTo(tasks);
    }

    @Test
    void onlyAMonteCarloRunCanBeStoppedAndMerged() {
        String id = launch(Map.of("app", "pi", "split", "none", "inputs", Map.of("events", "400000000000", "seed", 19)));

        var refused = alice.post("/api/v1/executions/" + id + "/stop", "");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("not a Monte-Carlo run", "kill");
        assertThat(alice.post("/api/v1/executions/" + id + "/kill", "").status()).isEqualTo(200);
    }

    @Test
    void aKilledPilotCostsOnlyItsEventsAndTheExecutionStillFinishes() {
        String id = launch(Map.of("app", "pi", "inputs", Map.of("events", "3000000000", "seed", 5)));
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.get("/api/v1/executions/" + id).json()
                .path("monteCarlo").path("eventsDone").asLong() > 0);
        var local = server.bean(SiteFactory.class).localBackend().orElseThrow();
        String victim = local.active().iterator().next();

        local.process(victim).orElseThrow().destroyForcibly();

        JsonNode execution = awaitEnd(id);
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode result = alice.get("/api/v1/files/" + merged(execution).path("path").asString()).json();
        assertThat(result.path("total").asLong()).isGreaterThanOrEqualTo(3_000_000_000L);
        var statuses = new ArrayList<String>();
        alice.get("/api/v1/executions/" + id + "/tasks").json()
                .forEach(task -> task.path("attempts").forEach(a -> statuses.add(a.path("status").asString())));
        assertThat(statuses).contains("LOST");
    }

    /**
     * pi writes a checkpoint every 2 s; its pilot uploads it. The pilot (and its tool, as when a node
     * dies) is killed after a checkpoint: the events of that checkpoint count, its file is merged, and
     * a replay gives the same bits, so the kept checkpoint is exactly a run of its events.
     */
    @Test
    void aKilledPilotsLastCheckpointIsKeptMergedAndReplayed() {
        String id = launch(Map.of("app", "pi", "inputs", Map.of("events", "4000000000", "seed", 31)));
        var jdbc = server.bean(JdbcClient.class);
        var checkpointed = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.sql("""
                                SELECT a.pilot_id, a.checkpoint_events FROM attempts a JOIN tasks t ON t.id = a.task_id
                                WHERE t.execution_id = ? AND a.checkpoint_events > 0 AND a.ended_at IS NULL""")
                        .param(id).query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list(), rows -> !rows.isEmpty())
                .getFirst();
        var pilot = server.bean(SiteFactory.class).localBackend().orElseThrow().process(checkpointed.getKey()).orElseThrow();

        pilot.descendants().forEach(ProcessHandle::destroyForcibly);
        pilot.destroyForcibly();

        JsonNode execution = awaitEnd(id);
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        var lost = new ArrayList<JsonNode>();
        alice.get("/api/v1/executions/" + id + "/tasks").json().forEach(task -> task.path("attempts").forEach(a -> {
            if (a.path("status").asString().equals("LOST")) {
                lost.add(a);
            }
        }));
        assertThat(lost).hasSize(1);
        long kept = lost.getFirst().path("events").asLong();
        assertThat(kept).isGreaterThanOrEqualTo(checkpointed.getValue());
        JsonNode run = execution.path("monteCarlo");
        var events = new ArrayList<Long>();
        run.path("tasks").forEach(task -> events.add(task.path("events").asLong()));
        long sum = events.stream().mapToLong(Long::longValue).sum();
        assertThat(events).contains(kept);
        JsonNode result = alice.get("/api/v1/files/" + merged(execution).path("path").asString()).json();
        assertThat(result.path("total").asLong()).isEqualTo(sum).isEqualTo(run.path("eventsDone").asLong())
                .isGreaterThanOrEqualTo(4_000_000_000L);

        String replay = launch(Map.of("app", "pi", "replay", id, "inputs", Map.of("events", "4000000000", "seed", 31)));
        JsonNode replayed = awaitEnd(replay);
        assertThat(replayed.path("status").asString()).as(replayed.toString()).isEqualTo("Finished");
        assertThat(merged(replayed).path("sha256").asString()).isEqualTo(merged(execution).path("sha256").asString());
    }

    /** The checkpoint upload is part of the pilot protocol: only the pilot holding the attempt may write, with a count. */
    @Test
    void aCheckpointUploadIsRefusedToAnotherPilotAndWithoutACount() throws Exception {
        String id = launch(Map.of("app", "pi", "inputs", Map.of("events", "2000000000", "seed", 41)));
        var jdbc = server.bean(JdbcClient.class);
        String attemptId = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                        SELECT a.id FROM attempts a JOIN tasks t ON t.id = a.task_id
                        WHERE t.execution_id = ? AND a.ended_at IS NULL""").param(id).query(String.class).list(),
                ids -> !ids.isEmpty()).getFirst();
        String otherPilotsToken = HandPilot.registered(server, "elsewhere", List.of()).sessionToken;
        var http = HttpClient.newHttpClient();
        Function<String, HttpResponse<String>> put = path -> {
            var request = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header(PilotProtocol.AUTHORIZATION, "Bearer " + otherPilotsToken)
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).build();
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };

        var notTheirs = put.apply(PilotProtocol.checkpointPath(attemptId, 1000) + "?path=pi.json");
        var noCount = put.apply(PilotProtocol.ATTEMPTS + "/" + attemptId + "/checkpoints/many?path=pi.json");

        assertThat(notTheirs.statusCode()).as(notTheirs.body()).isEqualTo(404);
        assertThat(notTheirs.body()).contains("not leased to this pilot");
        assertThat(noCount.statusCode()).as(noCount.body()).isEqualTo(400);
        assertThat(noCount.body()).doesNotContain("Exception");
        assertThat(awaitEnd(id).path("status").asString()).isEqualTo("Finished");
    }

    @Test
    void aStaticSplitGivesEqualSharesAndTheirExactSum() {
        String id = launch(Map.of("app", "pi", "split", "static", "tasks", 3,
                "inputs", Map.of("events", "30000001", "seed", 3)));

        JsonNode execution = awaitEnd(id);

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        var shares = new ArrayList<Long>();
        execution.path("monteCarlo").path("tasks").forEach(task -> shares.add(task.path("eventsRequested").asLong()));
        assertThat(shares).containsExactly(10_000_001L, 10_000_000L, 10_000_000L);
        JsonNode result = alice.get("/api/v1/files/" + merged(execution).path("path").asString()).json();
        assertThat(result.path("total").asLong()).isEqualTo(30_000_001L);
    }

    @Test
    void aReplayGivesABitIdenticalMergedResult() {
        String original = launch(Map.of("app", "pi", "inputs", Map.of("events", "300000000", "seed", 21)));
        JsonNode first = awaitEnd(original);
        assertThat(first.path("status").asString()).isEqualTo("Finished");

        String replay = launch(Map.of("app", "pi", "replay", original, "inputs", Map.of("events", "300000000", "seed", 21)));
        JsonNode second = awaitEnd(replay);

        assertThat(second.path("status").asString()).isEqualTo("Finished");
        assertThat(second.path("monteCarlo").path("replayOf").asString()).isEqualTo(original);
        assertThat(merged(second).path("sha256").asString()).isEqualTo(merged(first).path("sha256").asString());
    }

    @Test
    void aRunLaunchedWithoutASeedIsANewSampleYetItsReplayIsBitIdentical() {
        String original = launch(Map.of("app", "pi", "inputs", Map.of("events", "100000000")));
        JsonNode first = awaitEnd(original);
        assertThat(first.path("status").asString()).isEqualTo("Finished");
        assertThat(first.path("monteCarlo").path("tasks").get(0).path("seed").asLong()).as("drawn, not the default 42")
                .isNotEqualTo(42);

        String replay = launch(Map.of("app", "pi", "replay", original, "inputs", Map.of("events", "100000000")));
        JsonNode second = awaitEnd(replay);

        assertThat(second.path("status").asString()).isEqualTo("Finished");
        assertThat(merged(second).path("sha256").asString()).isEqualTo(merged(first).path("sha256").asString());
    }

    @Test
    void aMalformedMonteCarloSectionIsRefusedAtPublicationNamingTheField() {
        String descriptor = """
                {"name": "broken-mc", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "echo [N] [S] > out.json",
                 "inputs": [{"id": "n", "name": "N", "type": "Number", "value-key": "[N]"},
                            {"id": "s", "name": "S", "type": "String", "value-key": "[S]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.json"}],
                 "custom": {"escadrille:monte-carlo": {"events-input": "n", "seed-input": "s",
                            "progress-pattern": "events: \\\\d+", "checkpoint-dir": "../elsewhere",
                            "merge": {"out": {"method": "average"}}}}}""";

        var response = server.admin().post("/api/v1/apps", descriptor);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("escadrille:monte-carlo.seed-input", "Number",
                "escadrille:monte-carlo.progress-pattern", "group", "escadrille:monte-carlo.merge.out.method", "average",
                "escadrille:monte-carlo.checkpoint-dir", "inside the task's working directory");
    }

    @Test
    void doseHistogramsAreSummedBinByBin() {
        String id = launch(Map.of("app", "dose", "inputs", Map.of("events", "3000000", "seed", 9)));

        JsonNode execution = awaitEnd(id);

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        String histogram = null;
        JsonNode summary = null;
        for (JsonNode output : execution.path("outputs")) {
            if (output.path("merged").asBoolean() && output.path("outputId").asString().equals("histogram")) {
                histogram = alice.get("/api/v1/files/" + output.path("path").asString()).body();
            } else if (output.path("merged").asBoolean() && output.path("outputId").asString().equals("summary")) {
                summary = alice.get("/api/v1/files/" + output.path("path").asString()).json();
            }
        }
        assertThat(histogram).startsWith("depth_cm,edep_mev\n");
        var rows = histogram.lines().skip(1).toList();
        assertThat(rows).hasSize(60);
        double sum = rows.stream().mapToDouble(row -> Double.parseDouble(row.split(",")[1])).sum();
        assertThat(summary.path("events").asLong()).isGreaterThanOrEqualTo(3_000_000L)
                .isEqualTo(execution.path("monteCarlo").path("eventsDone").asLong());
        assertThat(sum).isCloseTo(summary.path("edep_mev").asDouble(), Percentage.withPercentage(0.01));
        assertThat(Double.parseDouble(rows.get(50).split(",")[1])).isLessThan(Double.parseDouble(rows.get(5).split(",")[1]));
    }
}
