package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.server.scheduling.Scheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A pilot's lease request that finds no work waits, suspended, without a thread; a task launched
 * meanwhile is handed to it through the same connection long before its wait would end, and the
 * request counts as a lease in progress until it is answered.
 */
@Tag("e2e")
class LongPollEndToEndTest {
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).property("escadrille.scheduling.long-poll", "30s").start();
        alice = Researcher.of(server, "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aWaitingLeaseRequestIsAnsweredWithTheTaskLaunchedWhileItWaits() {
        assertThat(server.admin().post("/api/v1/apps", """
                {"name": "wait-for-me", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "echo [X]",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]", "optional": true}]}""")
                .status()).isIn(200, 201);
        var pilot = HandPilot.registered(server, "waiting-host", List.of());
        var answer = CompletableFuture.supplyAsync(() -> pilot.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 30_000, List.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.bean(Scheduler.class).waitingLeases() == 1);
        assertThat(leasesInProgress()).as("a waiting lease holds its permit").isEqualTo(1);

        long launched = System.nanoTime();
        String execution = alice.launch(Map.of("app", "wait-for-me"));

        var response = answer.join();
        assertThat(Duration.ofNanos(System.nanoTime() - launched)).as("answered when the work came, not at the end of the wait")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var grant = ProtocolJson.read(response.body().getBytes(), LeaseGrant.class);
        assertThat(grant.tasks()).hasSize(1);
        assertThat(alice.tasks(execution).get(0).path("id").asString()).isEqualTo(grant.tasks().get(0).taskId());
        await().atMost(Duration.ofSeconds(5)).until(() -> leasesInProgress() == 0);
        assertThat(server.bean(Scheduler.class).waitingLeases()).isZero();
    }

    private static double leasesInProgress() {
        return server.bean(MeterRegistry.class).get("escadrille.overload.in.progress").tag("kind", "lease").gauge().value();
    }
}
