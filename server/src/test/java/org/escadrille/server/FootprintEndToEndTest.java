package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.ResourceUsage;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.footprint.Footprints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The footprint of an execution from its attempts as a pilot reports them, at its site's PUE and
 * carbon intensity and its host processor's power per core (docs/footprint.md): the pilot is driven
 * by hand, so that the times and memory are known and the figures hand-computed. The sums are SQL,
 * so the execution's footprint is checked on H2 and on PostgreSQL.
 */
@Tag("e2e")
class FootprintEndToEndTest {
    private static final long ONE_GIB_KB = 1_048_576;
    private TestServer server;
    private Researcher alice;
    private TestDatabases.Database database;

    private void start(String databaseName, Path dataDir) {
        if (databaseName.equals("PostgreSQL")) {
            Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        }
        var builder = TestServer.builder().pilots(false).dataDir(dataDir)
                .property("escadrille.scheduling.lease", "60s")
                .property("escadrille.scheduling.heartbeat", "1s")
                .property("escadrille.scheduling.max-attempts", "1");
        if (databaseName.equals("PostgreSQL")) {
            database = TestDatabases.freshPostgres();
            builder.database(database);
        }
        server = builder.start();
        alice = Researcher.of(server, "alice");
        var published = server.admin().post("/api/v1/apps", """
                {"name": "sweep", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "echo [X] > out.txt",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
        assertThat(published.status()).as(published.body()).isIn(200, 201);
        var site = server.admin().post("/api/v1/sites", """
                {"name": "green", "kind": "manual", "settings": {"pue": "1.2", "carbon-intensity": "50"}}""");
        assertThat(site.status()).as(site.body()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void anExecutionCountsEveryAttemptAtItsSitesFactorsAndShowsTheShareWasted(String databaseName, @TempDir Path dataDir) {
        start(databaseName, dataDir);
        var pilot = HandPilot.ofSite(server, "green", "node-g", "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz");
        String execution = alice.launch(Map.of("app", "sweep", "inputs", Map.of("x", List.of("a", "b"))));
        long now = System.currentTimeMillis();

        String succeeded = leaseOne(pilot);
        var upload = pilot.send(PilotProtocol.outputPath(succeeded) + "?path=out.txt", pilot.sessionToken, "PUT",
                "application/octet-stream", "a\n".getBytes(StandardCharsets.UTF_8));
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        complete(pilot, succeeded, new Completion(Completion.Outcome.SUCCEEDED, 0, null, now - 3_600_000, now, -1,
                new ResourceUsage(3600, 3600, 1, 2 * ONE_GIB_KB, 0, 0)));
        String failed = leaseOne(pilot);
        complete(pilot, failed, new Completion(Completion.Outcome.FAILED, 1, null, now - 100_000, now, -1,
                new ResourceUsage(0, 100, 1, ONE_GIB_KB, 0, 0)));
        var ended = alice.awaitEnd(execution, Duration.ofSeconds(30));

        // Xeon Gold 6148: 7.5 W per core; the site's PUE 1.2 and 50 gCO2e/kWh.
        // Succeeded: 3600 s × (7.5 W × 1 + 2 GB × 0.3725 W/GB) × 1.2 / 3600 = 9.894 Wh
        // Failed (no CPU time): 100 s × (0 + 1 GB × 0.3725 W/GB) × 1.2 / 3600 = 0.0124166… Wh
        double useful = 9.894;
        double wasted = 100 * 0.3725 * 1.2 / 3600;
        var footprint = ended.path("footprint");
        assertThat(ended.path("status").asString()).isEqualTo("ExecutionFailed");
        assertThat(footprint.path("energyWh").asDouble()).isCloseTo(useful + wasted, within(1e-9));
        assertThat(footprint.path("carbonGrams").asDouble()).isCloseTo((useful + wasted) * 50 / 1000, within(1e-9));
        assertThat(footprint.path("wastedShare").asDouble()).isCloseTo(wasted / (useful + wasted), within(1e-9));
        assertThat(footprint.path("carKm").asDouble()).isCloseTo((useful + wasted) * 50 / 1000 / 175, within(1e-9));
        assertThat(footprint.path("attempts").asInt()).isEqualTo(2);
        var attempts = alice.tasks(execution).findValues("attempts").stream().map(list -> list.get(0)).toList();
        assertThat(attempts).extracting(a -> a.path("footprint").path("energyWh").asDouble())
                .anySatisfy(wh -> assertThat(wh).isCloseTo(useful, within(1e-9)))
                .anySatisfy(wh -> assertThat(wh).isCloseTo(wasted, within(1e-9)));
        assertThat(attempts).extracting(a -> a.path("footprint").path("wasted").asBoolean()).containsExactlyInAnyOrder(false, true);

        var aliceId = server.bean(AccountService.class).findByUsername("alice").orElseThrow().id();
        assertThat(server.bean(Footprints.class).ofUser(aliceId, null).energyWh()).isCloseTo(useful + wasted, within(1e-9));
        var metrics = server.admin().get("/actuator/prometheus");
        assertThat(metrics.body()).contains("escadrille_footprint_energy_wh_total", "escadrille_footprint_carbon_grams_total");
    }

    @Test
    void anAttemptLostWithItsPilotCountsWhatItsLastHeartbeatRelayed(@TempDir Path dataDir) {
        start("H2", dataDir);
        var pilot = HandPilot.ofSite(server, "green", "node-k", "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz");
        String execution = alice.launch(Map.of("app", "sweep", "inputs", Map.of("x", "k")));
        String attempt = leaseOne(pilot);
        long startedAt = System.currentTimeMillis() - 60_000;

        var beat = pilot.post(PilotProtocol.HEARTBEAT, new Heartbeat(List.of(new Heartbeat.AttemptStatus(attempt,
                Heartbeat.Phase.RUNNING, -1, startedAt, 0, 30.0, 2 * ONE_GIB_KB)), 0));
        assertThat(beat.status()).as(beat.body()).isEqualTo(200);
        assertThat(pilot.post(PilotProtocol.BYE, "").status()).isEqualTo(204);
        // The task waits for another pilot; its first attempt is lost at once, with the pilot's goodbye.
        var lost = await().atMost(Duration.ofSeconds(20)).until(() -> alice.tasks(execution).get(0).path("attempts").get(0),
                first -> first.path("status").asString().equals("LOST"));

        // 30 s of CPU at 7.5 W, and 2 GB for the ~60 s from its start to the goodbye, at PUE 1.2: all wasted.
        assertThat(lost.path("cpuSeconds").asDouble()).isEqualTo(30.0);
        assertThat(lost.path("peakRssKb").asLong()).isEqualTo(2 * ONE_GIB_KB);
        double cpuWh = 30 * 7.5 * 1.2 / 3600;
        double memoryWhPerSecond = 2 * 0.3725 * 1.2 / 3600;
        assertThat(lost.path("footprint").path("energyWh").asDouble())
                .isBetween(cpuWh + 60 * memoryWhPerSecond, cpuWh + 90 * memoryWhPerSecond);
        // A running execution's footprint is reused for up to two seconds (Footprints.FRESH_MS).
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.api().get("/api/v1/executions/" + execution).json()
                .path("footprint").path("wastedShare").asDouble(), share -> share == 1.0);
    }

    @Test
    void aSitesFootprintSettingsMustBeNumbersInRange(@TempDir Path dataDir) {
        start("H2", dataDir);
        var pue = server.admin().post("/api/v1/sites", """
                {"name": "leaky", "kind": "manual", "settings": {"pue": "0.5"}}""");
        var intensity = server.admin().post("/api/v1/sites", """
                {"name": "leaky", "kind": "manual", "settings": {"carbon-intensity": "lots"}}""");

        assertThat(pue.status()).as(pue.body()).isEqualTo(400);
        assertThat(pue.json().path("detail").asString()).contains("pue", "at least 1");
        assertThat(intensity.status()).as(intensity.body()).isEqualTo(400);
        assertThat(intensity.json().path("detail").asString()).contains("carbon-intensity", "must be a number");
    }

    private String leaseOne(HandPilot pilot) {
        LeaseGrant grant = await().atMost(Duration.ofSeconds(20)).until(() -> {
            var response = pilot.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 1_000, List.of()));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            return ProtocolJson.read(response.body().getBytes(StandardCharsets.UTF_8), LeaseGrant.class);
        }, g -> !g.tasks().isEmpty());
        return grant.tasks().get(0).attemptId();
    }

    private void complete(HandPilot pilot, String attempt, Completion completion) {
        var answer = pilot.post(PilotProtocol.completionPath(attempt), completion);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}
