package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registrations are written in batches; a batch the database refuses is answered 503 with
 * {@code Retry-After} and a problem document (the pilot sends it again), never a 500, and its token
 * stays good for that retry.
 */
@Tag("e2e")
class RegistrationBusyEndToEndTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRegistrationWhoseBatchFailsIsA503ThatThePilotMaySendAgain() {
        var pilot = HandPilot.minted(server);
        var jdbc = server.bean(JdbcClient.class);
        jdbc.sql("ALTER TABLE pilots RENAME TO pilots_away").update();
        ApiClient.Response refused;
        try {
            refused = pilot.register(pilot.registrationToken, "node-1", List.of());
        } finally {
            jdbc.sql("ALTER TABLE pilots_away RENAME TO pilots").update();
        }

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 5));
        assertThat(refused.body()).contains("\"title\":\"Server busy\"", "try again").doesNotContain("Exception", "pilots_away");
        var retried = pilot.register(pilot.registrationToken, "node-1", List.of());
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    }
}
