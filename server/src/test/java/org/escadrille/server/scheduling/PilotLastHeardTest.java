package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.escadrille.server.Ids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a pilot was last heard from: the database learns it at most every eighth of a session token's lifetime
 * (30 s by default) however often the pilot calls, and what reads it gets the time in memory when later. A
 * pilot of a manual site that is not heard from for a whole lifetime is taken for gone, so a pilot that calls
 * every second must be written again within it, and a call the server sheds counts as heard from.
 */
class PilotLastHeardTest {
    @TempDir
    Path dir;

    @Test
    void aPilotThatCallsEverySecondIsWrittenOncePerPeriodAndReadAsLastHeard() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.registeredPilot().pilotId();
        long registeredAt = rig.clock.millis();

        for (int second = 1; second <= 70; second++) {
            rig.advance(Duration.ofSeconds(1));
            rig.pilots.seen(pilot);
        }

        // Session tokens live 240 s by default: written at 30 s and 60 s after the registration, not at each call.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stored(rig, pilot)).isEqualTo(registeredAt + 60_000));
        assertThat(heard(rig, pilot)).as("the last call, from memory").isEqualTo(registeredAt + 70_000);
    }

    @Test
    void aPilotWhoseCallsAreShedIsReadAsHeardFromAtItsLastShedCall() {
        var rig = new SchedulerRig(dir);
        var pilot = rig.registeredPilot();
        long registeredAt = rig.clock.millis();

        rig.advance(Duration.ofSeconds(100));
        rig.pilots.shed(pilot.token());
        rig.advance(Duration.ofSeconds(5));
        rig.pilots.shed(Ids.newSecret());

        assertThat(heard(rig, pilot.pilotId())).isEqualTo(registeredAt + 100_000);
    }

    private static long stored(SchedulerRig rig, String pilotId) {
        return rig.jdbc.sql("SELECT last_heartbeat_at FROM pilots WHERE id = ?").param(pilotId).query(Long.class).single();
    }

    /** When the registry says the pilot was last heard from, as operators and sites read it. */
    private static long heard(SchedulerRig rig, String pilotId) {
        return rig.pilots.recent(100).stream().filter(p -> p.id().equals(pilotId)).findFirst().orElseThrow().lastHeartbeatAtMs();
    }
}
