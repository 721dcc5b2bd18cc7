package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.site.SiteFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole flow on one machine: launch → tasks → a real pilot process pulls, runs the real pi
 * program, uploads → the execution finishes with its outputs and checksums. And the fault that must
 * cost nothing: a pilot killed with SIGKILL mid-task.
 */
@Tag("e2e")
class EndToEndTest {
    private static TestServer server;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).start();
        alice = server.newUser("alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One ordinary task of pi ({@code split: none}): the Monte-Carlo split is tested in MonteCarloTest. */
    private static String launchPi(long events) {
        return alice.launch(Map.of("app", "pi", "split", "none",
                "inputs", Map.of("events", Long.toString(events), "seed", 7)));
    }

    @Test
    void piRunsThroughAPilotAndItsResultIsStoredWithItsChecksum() throws Exception {
        String id = launchPi(2_000_000);

        JsonNode execution = alice.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        assertThat(execution.path("tasks").path("succeeded").asInt()).isEqualTo(1);
        assertThat(execution.path("cpuSeconds").asDouble()).isPositive();
        JsonNode output = execution.path("outputs").get(0);
        assertThat(output.path("path").asString()).isEqualTo(execution.path("outputDir").asString() + "/pi.json");
        var file = alice.get("/api/v1/files/" + output.path("path").asString());
        JsonNode result = file.json();
        assertThat(result.path("total").asLong()).isEqualTo(2_000_000);
        assertThat(result.path("estimate").asDouble()).isBetween(3.13, 3.15);
        String sha = Sha256.of(file.body());
        assertThat(output.path("sha256").asString()).isEqualTo(sha);

        JsonNode task = alice.get("/api/v1/executions/" + id + "/tasks").json().get(0);
        JsonNode attempt = task.path("attempts").get(0);
        assertThat(task.path("commandLine").asString()).contains("escadrille-pi", "--events 2000000", "--seed 7");
        assertThat(attempt.path("exitCode").asInt()).isZero();
        assertThat(attempt.path("startedAt").isNull()).isFalse();
        assertThat(attempt.path("host").asString()).isNotBlank();
        var log = alice.get("/api/v1/executions/" + id + "/logs");
        assertThat(log.body()).contains("pi ~ 3.1");
        assertThat(log.headers().firstValue("X-Escadrille-Log-Complete")).hasValue("true");
    }

    @Test
    void aPilotKilledMidTaskCostsOnlyARetryAndTheExecutionStillFinishes() {
        // About 4 s of work: long enough to be killed in the middle, short enough to run again.
        String id = launchPi(1_500_000_000L);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> alice.get("/api/v1/executions/" + id).json().path("status").asString().equals("Running"));
        var local = server.bean(SiteFactory.class).localBackend().orElseThrow();
        String victim = local.active().iterator().next();

        local.process(victim).orElseThrow().destroyForcibly();

        JsonNode execution = alice.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode attempts = alice.get("/api/v1/executions/" + id + "/tasks").json().get(0).path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("status").asString()).isEqualTo("LOST");
        // The factory sees its process die (or, on another backend, the lease expires).
        assertThat(attempts.get(0).path("message").asString()).containsAnyOf("died", "lease expired");
        assertThat(attempts.get(0).path("pilotId").asString()).isEqualTo(victim);
        assertThat(attempts.get(1).path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(execution.path("outputs")).hasSize(1);
    }

    @Test
    void killStopsTheRunningTaskWithinAHeartbeat() {
        String id = launchPi(100_000_000_000L);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> alice.get("/api/v1/executions/" + id).json().path("status").asString().equals("Running"));

        var killed = alice.post("/api/v1/executions/" + id + "/kill", "");

        assertThat(killed.json().path("status").asString()).isEqualTo("Killed");
        // Heartbeats every 500 ms here: the pilot gets the order, kills the process tree and reports.
        JsonNode attempt = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> alice.get("/api/v1/executions/" + id + "/tasks").json().get(0).path("attempts").get(0),
                        a -> a.path("status").asString().equals("CANCELLED"));
        assertThat(attempt.path("endedAt").isNull()).isFalse();
        assertThat(alice.get("/api/v1/executions/" + id).json().path("tasks").path("cancelled").asInt()).isEqualTo(1);
    }

    @Test
    void aRunningTaskShowsTheCpuAndMemoryItUsedSoFar() {
        String id = launchPi(100_000_000_000L);

        // The pilot samples its process tree and relays the figures with its heartbeats (every 500 ms here).
        JsonNode attempt = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> alice.get("/api/v1/executions/" + id + "/tasks").json().get(0).path("attempts").path(0),
                        a -> a.path("cpuSeconds").asDouble(0) > 0 && a.path("peakRssKb").asLong(0) > 0);

        assertThat(attempt.path("status").asString()).isEqualTo("RUNNING");
        assertThat(attempt.path("endedAt").isNull() || attempt.path("endedAt").isMissingNode()).as("not ended").isTrue();
        alice.post("/api/v1/executions/" + id + "/kill", "");
    }

    @Test
    void prometheusSeesDispatchesQueueAndLeaseLatency() {
        alice.awaitEnd(launchPi(1_000_000), Duration.ofSeconds(60));

        var scrape = server.admin().get("/actuator/prometheus");

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("escadrille_tasks_dispatched_total", "escadrille_attempts_succeeded_total",
                "escadrille_lease_latency_seconds_bucket", "escadrille_tasks_running", "escadrille_pilots_slots");
        var dispatched = Pattern.compile("escadrille_tasks_dispatched_total(?:\\{[^}]*\\})? ([0-9.]+)")
                .matcher(scrape.body());
        assertThat(dispatched.find()).isTrue();
        assertThat(Double.parseDouble(dispatched.group(1))).isGreaterThanOrEqualTo(1.0);
        // Requests are timed per URI and status; the timer of requests in progress, which every long poll
        // entered and left, is not kept (application.properties).
        assertThat(scrape.body()).contains("http_server_requests_seconds_count{").doesNotContain("http_server_requests_active");
    }
}
