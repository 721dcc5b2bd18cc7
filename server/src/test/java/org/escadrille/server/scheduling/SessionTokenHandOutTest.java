package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call that shows an older session token while the pilot's newest is still on its way (a lease reply, which
 * carries the token taken when the request arrived, held by its long poll) gets the newest again, and nothing is
 * written for it. Before, it got a newer token, which the pilot took up and showed; the lease reply then gave it
 * back the older one, replaced, which died a grace later if the server shed the pilot's calls meanwhile (a 401).
 */
class SessionTokenHandOutTest {
    @TempDir
    Path dir;

    @Test
    void aHeartbeatDuringALongPollGetsTheTokenTheLeaseReplyCarriesWithoutAWrite() {
        var rig = new SchedulerRig(dir);
        var session = rig.registeredPilot();
        String shown = TokenHash.of(session.token());
        rig.pilots.verify(session.token(), false);
        // A quarter of the token's four-minute lifetime: the next call with it gets a fresh one.
        rig.advance(Duration.ofMinutes(1));
        String leaseReply = rig.pilots.rotate(session.pilotId(), shown).orElseThrow();
        int commits = rig.commits.get();
        rig.advance(Duration.ofSeconds(5));

        var heartbeatReply = rig.pilots.rotate(session.pilotId(), shown);

        assertThat(heartbeatReply).hasValue(leaseReply);
        assertThat(rig.commits.get()).as("transactions committed for it").isEqualTo(commits);
    }
}
