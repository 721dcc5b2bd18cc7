package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.Order;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.ProtocolJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat folded into a lease request (issue 18: a busy pilot's heartbeats were a fifth of the calls per
 * task at 10,000 pilots): the statuses a lease request carries renew their leases as a heartbeat's would, so a
 * pilot that only leases keeps its attempts for several lease lifetimes; orders for them come back in the grant
 * at once, not after the long poll, but an ABANDON alone waits for it; a kill wakes the pilot's waiting lease
 * request, so that its next one brings the cancel back. Driven by hand through the real server (leases of 3 s).
 */
@Tag("e2e")
class LeaseCarriesHeartbeatEndToEndTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        // Long polls of up to 30 s: an answer much sooner shows the server woke the request.
        server = TestServer.builder().pilots(false).property("escadrille.scheduling.max-attempts", "1")
                .property("escadrille.scheduling.long-poll", "30s").start();
        var published = server.admin().post("/api/v1/apps", RunningLimitsEndToEndTest.SWEEP);
        assertThat(published.status()).as(published.body()).isIn(200, 201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anAttemptWhoseStatusOnlyLeaseRequestsCarryOutlivesSeveralLeaseLifetimes() {
        var pilot = HandPilot.minted(server);
        var registered = pilot.register(pilot.registrationToken, "busy-host", List.of());
        assertThat(ProtocolJson.read(registered.body().getBytes(), PilotRegistered.class).leaseTakesStatuses())
                .as("the registration says so").isTrue();
        var user = server.newUser("lena");
        String execution = user.launch(Map.of("app", "sweep", "inputs", Map.of("x", "one")));
        String attempt = pilot.leaseOne();
        var running = new Heartbeat.AttemptStatus(attempt, Heartbeat.Phase.RUNNING, -1, System.currentTimeMillis());

        // Three lease lifetimes with no heartbeat: lease requests that carry the status, each a long poll of 300 ms.
        long end = System.nanoTime() + Duration.ofSeconds(9).toNanos();
        while (System.nanoTime() < end) {
            var grant = pilot.lease(new LeaseRequest(1, 1024, 300, List.of(), 0, List.of(running)));
            assertThat(grant.heartbeat()).as("the reply to the statuses").isNotNull();
            assertThat(grant.heartbeat().orders()).as("no order: the attempt is still this pilot's").isEmpty();
        }

        assertThat(pilot.succeed(attempt).accepted()).as("the lease still held").isTrue();
        assertThat(user.awaitEnd(execution, Duration.ofSeconds(20)).path("status").asString()).isEqualTo("Finished");
        var execJson = user.get("/api/v1/executions/" + execution).json();
        assertThat(execJson.path("tasks").path("total").asInt()).isEqualTo(1);
    }

    @Test
    void anOrderForACarriedStatusComesBackAtOnceInsteadOfAfterTheLongPoll() {
        var pilot = HandPilot.registered(server, "cancelled-host", List.of());
        var user = server.newUser("mona");
        String execution = user.launch(Map.of("app", "sweep", "inputs", Map.of("x", "two")));
        String attempt = pilot.leaseOne();
        var killed = user.post("/api/v1/executions/" + execution + "/kill", "{}");
        assertThat(killed.status()).as(killed.body()).isLessThan(300);

        var running = new Heartbeat.AttemptStatus(attempt, Heartbeat.Phase.RUNNING, -1, System.currentTimeMillis());
        var stranger = new Heartbeat.AttemptStatus("not-an-attempt", Heartbeat.Phase.RUNNING, -1, System.currentTimeMillis());
        long asked = System.nanoTime();
        // Nothing is queued: without orders this request would wait out its long poll (2 s).
        var grant = pilot.lease(new LeaseRequest(1, 1024, 2_000, List.of(), 0, List.of(running, stranger)));
        long tookMs = (System.nanoTime() - asked) / 1_000_000;

        assertThat(grant.tasks()).isEmpty();
        assertThat(grant.heartbeat().orders()).containsExactlyInAnyOrder(
                new Order(attempt, Order.Kind.CANCEL), new Order("not-an-attempt", Order.Kind.ABANDON));
        assertThat(tookMs).as("answered without waiting for work").isLessThan(1_500);
    }

    @Test
    void aKillWakesThePilotsWaitingLeaseRequestAndItsNextOneBringsTheCancelBack() throws Exception {
        var pilot = HandPilot.registered(server, "waiting-host", List.of());
        var user = server.newUser("nina");
        String execution = user.launch(Map.of("app", "sweep", "inputs", Map.of("x", "three")));
        String attempt = pilot.leaseOne();
        var running = new Heartbeat.AttemptStatus(attempt, Heartbeat.Phase.RUNNING, -1, System.currentTimeMillis());
        var lease = server.bean(MeterRegistry.class).get("escadrille.overload.in.progress").tag("kind", "lease").gauge();
        // Its other slot waits for work, up to 30 s: nothing else is queued.
        var waiting = CompletableFuture.supplyAsync(
                () -> pilot.lease(new LeaseRequest(1, 1024, 30_000, List.of(), 0, List.of(running))));
        await().atMost(Duration.ofSeconds(10)).until(() -> lease.value() == 1);

        var killed = user.post("/api/v1/executions/" + execution + "/kill", "{}");
        assertThat(killed.status()).as(killed.body()).isLessThan(300);
        var woken = waiting.get(10, TimeUnit.SECONDS);
        var next = pilot.lease(new LeaseRequest(1, 1024, 30_000, List.of(), 0, List.of(running)));

        assertThat(woken.tasks()).as("woken empty, long before its 30 s").isEmpty();
        assertThat(next.heartbeat().orders()).containsExactly(new Order(attempt, Order.Kind.CANCEL));
    }

    @Test
    void anAbandonAloneWaitsForTheLongPollsEnd() {
        var pilot = HandPilot.registered(server, "raced-host", List.of());
        var ended = new Heartbeat.AttemptStatus("taken-already", Heartbeat.Phase.UPLOADING, -1, 0);
        long asked = System.nanoTime();

        var grant = pilot.lease(new LeaseRequest(1, 1024, 1_000, List.of(), 0, List.of(ended)));
        long tookMs = (System.nanoTime() - asked) / 1_000_000;

        assertThat(grant.heartbeat().orders()).containsExactly(new Order("taken-already", Order.Kind.ABANDON));
        assertThat(tookMs).as("the long poll waited for work as it would without the status").isGreaterThanOrEqualTo(900);
    }

    @Test
    void aMalformedStatusInALeaseRequestIsRefusedWithWhatToFix() {
        var pilot = HandPilot.registered(server, "sloppy-host", List.of());
        String noId = "{\"freeSlots\": 1, \"freeMemoryMb\": 1024, \"waitMs\": 0, \"attempts\": [{\"phase\": \"RUNNING\"}]}";
        String badPhase = "{\"freeSlots\": 1, \"freeMemoryMb\": 1024, \"waitMs\": 0,"
                + " \"attempts\": [{\"attemptId\": \"a\", \"phase\": \"DANCING\"}]}";

        var missing = pilot.send(PilotProtocol.LEASE, pilot.sessionToken, "POST", "application/json",
                noId.getBytes(StandardCharsets.UTF_8));
        var unknown = pilot.send(PilotProtocol.LEASE, pilot.sessionToken, "POST", "application/json",
                badPhase.getBytes(StandardCharsets.UTF_8));

        assertThat(missing.status()).as(missing.body()).isEqualTo(400);
        assertThat(missing.body()).contains("attempts[0]").doesNotContain("Exception");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.body()).contains("DANCING").doesNotContain("Exception");
    }

    @Test
    void aLeaseRequestWithoutStatusesGetsNoHeartbeatReply() {
        var pilot = HandPilot.registered(server, "idle-host", List.of());

        var grant = pilot.lease(new LeaseRequest(1, 1024, 0, List.of()));

        assertThat(grant.heartbeat()).isNull();
    }
}
