package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** CARMIN's platform description and sign-in, and the API keys every other operation needs. */
@Tag("e2e")
@Exercises({"GET /platform", "POST /authenticate"})
class PlatformApiTest {
    private static TestServer server;
    private static CarminClient anonymous;

    @BeforeAll
    static void start() {
        var spec = CarminSpec.load();
        assumeTrue(spec.isPresent(), SharedSpecs.MISSING);
        server = TestServer.builder().pilots(false).start();
        server.newUser("carmin-alice");
        anonymous = new CarminClient(spec.get(), server.url(), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void platformDescribesTheApiWithoutAKey() {
        var platform = anonymous.get("/platform");

        assertThat(platform.status()).isEqualTo(200);
        assertThat(platform.json().path("supportedAPIVersion").asString()).isEqualTo("0.3.1");
        assertThat(platform.json().path("supportedModules").valueStream().map(m -> m.asString()))
                .containsExactly("Processing", "Data");
        assertThat(platform.json().path("APIErrorCodesAndMessages").valueStream().map(e -> e.path("errorCode").asLong()))
                .contains(40101L, 40400L);
    }

    @Test
    void authenticateTradesAUserNameAndPasswordForAnApiKeyThatWorks() {
        var authentication = anonymous.postJson("/authenticate",
                Map.of("username", "carmin-alice", "password", "password-carmin-alice"));

        assertThat(authentication.status()).as(authentication.body()).isEqualTo(200);
        assertThat(authentication.json().path("httpHeader").asString()).isEqualTo("apikey");
        String key = authentication.json().path("httpHeaderValue").asString();
        assertThat(anonymous.as(key).get("/executions").status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordIsRefusedWithCarminsError() {
        anonymous.postJson("/authenticate", Map.of("username", "carmin-alice", "password", "not-her-password"))
                .isError(401, 40102);
    }

    @Test
    void aMissingOrUnknownApiKeyIsVipsCode40101() {
        anonymous.get("/executions").isError(401, 40101);
        anonymous.as("no-such-key").get("/executions").isError(401, 40101);
        anonymous.as("no-such-key").get("/platform").isError(401, 40101);
    }

    @Test
    void aMalformedBodyIsABadRequestThatSaysSo() {
        var refused = anonymous.sendingInvalidRequests().send("POST", "/authenticate", "application/json",
                "{\"username\": ".getBytes()).isError(400, 40000);

        assertThat(refused.json().path("errorMessage").asString()).contains("JSON");
    }
}
