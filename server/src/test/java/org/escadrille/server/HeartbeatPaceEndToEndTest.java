package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.ProtocolJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The heartbeats of many pilots running tasks are paced (issue 18: 10,000 such pilots sent 667 heartbeats a second
 * at the 15 s default): through the real server, with a budget of one heartbeat a second, two pilots running tasks
 * are told an interval of 2 s instead of the configured 500 ms (the longest the settings allow: four of them), in
 * heartbeat replies, lease grants and registrations alike, and a lease renewed then lives 12 s instead of 3 s.
 */
@Tag("e2e")
class HeartbeatPaceEndToEndTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).property("escadrille.scheduling.heartbeat-budget", "1").start();
        var published = server.admin().post("/api/v1/apps", RunningLimitsEndToEndTest.SWEEP);
        assertThat(published.status()).as(published.body()).isIn(200, 201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pilotsRunningTasksAreToldALongerIntervalAndTheirLeasesOutliveTheConfiguredOne() {
        var user = server.newUser("pia");
        String execution = user.launch(Map.of("app", "sweep", "inputs", Map.of("x", "one")));
        String another = user.launch(Map.of("app", "sweep", "inputs", Map.of("x", "two")));
        var first = HandPilot.registered(server, "paced-1", List.of());
        var second = HandPilot.registered(server, "paced-2", List.of());
        String attempt = first.leaseOne();
        String other = second.leaseOne();

        // Both heartbeat at the configured 500 ms until the pace (updated every second) tells them 2 s.
        HeartbeatReply paced = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    heartbeat(second, other);
                    return heartbeat(first, attempt);
                }, reply -> reply.heartbeatIntervalMs() == 2_000);
        assertThat(paced.orders()).isEmpty();
        assertThat(heartbeat(second, other).heartbeatIntervalMs()).isEqualTo(2_000);
        assertThat(server.bean(MeterRegistry.class).get("escadrille.pilots.heartbeat.interval").gauge().value())
                .as("the gauge, in seconds").isEqualTo(2.0);
        var late = HandPilot.minted(server);
        var registered = ProtocolJson.read(late.register(late.registrationToken, "paced-3", List.of()).body()
                .getBytes(StandardCharsets.UTF_8), PilotRegistered.class);
        assertThat(registered.heartbeatIntervalMs()).as("a pilot joining the paced pool").isEqualTo(2_000);
        assertThat(registered.leaseMs()).isEqualTo(12_000);
        assertThat(late.lease(new LeaseRequest(1, 1024, 0, List.of())).heartbeatIntervalMs())
                .as("a lease grant's").isEqualTo(2_000);

        // Twice the configured lease of 3 s without a call: both attempts stay leased.
        var running = server.bean(MeterRegistry.class).get("escadrille.tasks.running").gauge();
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> running.value() == 2);

        assertThat(first.succeed(attempt).accepted()).as("the lease renewed at the paced interval held").isTrue();
        assertThat(second.succeed(other).accepted()).isTrue();
        assertThat(user.awaitEnd(execution, Duration.ofSeconds(20)).path("status").asString()).isEqualTo("Finished");
        assertThat(user.awaitEnd(another, Duration.ofSeconds(20)).path("status").asString()).isEqualTo("Finished");
    }

    private static HeartbeatReply heartbeat(HandPilot pilot, String attempt) {
        var status = new Heartbeat.AttemptStatus(attempt, Heartbeat.Phase.RUNNING, -1, System.currentTimeMillis());
        var response = pilot.post(PilotProtocol.HEARTBEAT, new Heartbeat(List.of(status), 0));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var reply = ProtocolJson.read(response.body().getBytes(StandardCharsets.UTF_8), HeartbeatReply.class);
        if (reply.sessionToken() != null) {
            pilot.sessionToken = reply.sessionToken();
        }
        return reply;
    }
}
