package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.ProtocolJson;
import org.junit.jupiter.api.Test;

/**
 * A pilot that runs nothing sends lease requests and no heartbeats (issue 18: an idle pool's heartbeats
 * were most of its requests), so its lease replies bring its fresh session tokens: one that only leases
 * outlives several token lifetimes.
 */
class LeaseRenewsSessionEndToEndTest {

    @Test
    void aPilotThatOnlyLeasesOutlivesSeveralTokenLifetimesOnTheTokensItsLeaseRepliesBring() {
        try (var server = TestServer.builder().pilots(false)
                .property("escadrille.scheduling.heartbeat", "1s")
                .property("escadrille.pilots.session-token-lifetime", "3s")
                .property("escadrille.pilots.session-token-grace", "1s")
                .start()) {
            var pilot = HandPilot.minted(server);
            var registered = pilot.register(pilot.registrationToken, "idle-host", List.of());
            assertThat(ProtocolJson.read(registered.body().getBytes(), PilotRegistered.class).leaseRenewsSession())
                    .as("the registration says so").isTrue();
            String first = pilot.sessionToken;
            int fresh = 0;
            // Leasing as an idle pilot does, for more than two token lifetimes.
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                var lease = pilot.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 300, List.of()));
                assertThat(lease.status()).as(lease.body()).isEqualTo(200);
                String token = ProtocolJson.read(lease.body().getBytes(), LeaseGrant.class).sessionToken();
                if (token != null) {
                    pilot.sessionToken = token;
                    fresh++;
                }
            }

            assertThat(fresh).as("a fresh token every quarter lifetime or so").isGreaterThanOrEqualTo(3);
            assertThat(pilot.post(PilotProtocol.HEARTBEAT, new Heartbeat(List.of(), 1)).status())
                    .as("eight seconds later, with the newest token").isEqualTo(200);
            assertThat(pilot.post(PilotProtocol.HEARTBEAT, first, new Heartbeat(List.of(), 1)).status())
                    .as("the first token died").isEqualTo(401);
        }
    }
}
