package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
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
 * A pilot whose calls the server sheds for longer than its session token lives keeps its session: the
 * server's overload must not lock out the pilots it turns away (at 50,000 pilots, heartbeats shed for
 * minutes cost thousands of them their token). A pilot that says nothing for as long loses it.
 */
@Tag("e2e")
class ShedPilotSessionTest {
    private static final Duration LIFETIME = Duration.ofSeconds(3);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false)
                .property("escadrille.scheduling.lease", "60s")
                .property("escadrille.scheduling.heartbeat", "1s")
                .property("escadrille.scheduling.long-poll", "9s")
                .property("escadrille.pilots.session-token-lifetime", LIFETIME.toSeconds() + "s")
                .property("escadrille.pilots.session-token-grace", "1s")
                .property("escadrille.overload.leases", "1")
                .property("escadrille.overload.queue-wait", "50ms")
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPilotShedForLongerThanItsTokenLivesKeepsItsSessionWhileASilentOneLosesIt() {
        var holder = HandPilot.registered(server, "holder-host", List.of());
        var shed = HandPilot.registered(server, "shed-host", List.of());
        var silent = HandPilot.registered(server, "silent-host", List.of());
        // Nothing is queued: the holder's long poll keeps the only lease permit while the others are shed.
        CompletableFuture.runAsync(() -> holder.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 9_000, List.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.bean(MeterRegistry.class)
                .get("escadrille.overload.in.progress").tag("kind", "lease").gauge().value() == 1);

        long end = System.nanoTime() + LIFETIME.multipliedBy(2).toNanos();
        int calls = 0;
        while (System.nanoTime() < end) {
            var lease = shed.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 0, List.of()));
            assertThat(lease.status()).as("shed while the holder's long poll lasts").isEqualTo(503);
            calls++;
        }

        assertThat(calls).isGreaterThan(10);
        assertThat(shed.post(PilotProtocol.HEARTBEAT, new Heartbeat(List.of(), 1)).status())
                .as("two token lifetimes later, every call of them shed").isEqualTo(200);
        var lockedOut = silent.post(PilotProtocol.HEARTBEAT, new Heartbeat(List.of(), 1));
        assertThat(lockedOut.status()).as("a pilot silent as long").isEqualTo(401);
        assertThat(lockedOut.body()).contains("expired");
    }
}
