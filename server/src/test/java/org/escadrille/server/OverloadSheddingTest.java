package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Overload is shed, never fatal: beyond its bound, a call waits briefly and is answered 503 with
 * Retry-After, while the request already admitted and the calls of other kinds go on.
 */
@Tag("e2e")
class OverloadSheddingTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false)
                // A heartbeat replaces the session token: the old one must outlive the test (a lease's grace).
                .property("escadrille.scheduling.lease", "60s")
                .property("escadrille.scheduling.heartbeat", "1s")
                .property("escadrille.scheduling.long-poll", "4s")
                .property("escadrille.overload.leases", "1")
                .property("escadrille.overload.queue-wait", "50ms")
                .property("escadrille.overload.retry-after-min", "2s")
                .property("escadrille.overload.retry-after-max", "3s")
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLeaseBeyondTheBoundIsShedWithRetryAfterWhileTheAdmittedOneAndOtherCallsGoOn() throws Exception {
        var waiting = HandPilot.registered(server, "waiting-host", List.of());
        var late = HandPilot.registered(server, "late-host", List.of());
        // Nothing is queued: the first pilot's long poll holds the only lease permit.
        var admitted = CompletableFuture.supplyAsync(() -> waiting.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 4_000, List.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("escadrille.overload.in.progress", "lease") == 1);

        var shed = late.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 0, List.of()));

        assertThat(shed.status()).isEqualTo(503);
        assertThat(shed.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(2, 3));
        assertThat(shed.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(shed.body()).contains("\"title\":\"Server busy\"", "lease", "escadrille.overload");
        assertThat(counter("escadrille.overload.shed", "lease")).isGreaterThanOrEqualTo(1);
        assertThat(server.bean(MeterRegistry.class).get("escadrille.overload.memory.shed").functionCounter().count())
                .as("shed by its bound, not for want of heap").isZero();
        // Other kinds have their own bounds, and health is never shed.
        assertThat(late.post(PilotProtocol.HEARTBEAT, new Heartbeat(List.of(), 1)).status()).isEqualTo(200);
        assertThat(health()).isEqualTo(200);
        // The admitted long poll ends as usual; then there is room again.
        assertThat(admitted.join().status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("escadrille.overload.in.progress", "lease") == 0);
        assertThat(late.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 0, List.of())).status()).isEqualTo(200);
    }

    private static int health() throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static double gauge(String name, String kind) {
        return server.bean(MeterRegistry.class).get(name).tag("kind", kind).gauge().value();
    }

    private static double counter(String name, String kind) {
        return server.bean(MeterRegistry.class).get(name).tag("kind", kind).counter().count();
    }
}
