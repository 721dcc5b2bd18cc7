package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.escadrille.server.Ids;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Guessing is rationed: failed sign-ins per account and per address, failed API keys per address,
 * each answered 429 with Retry-After once used up. Each test comes from its own addresses (through a
 * trusted proxy's X-Forwarded-For), so that their buckets do not mix.
 */
@Tag("e2e")
class SignInLimitsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false)
                .property("server.forward-headers-strategy", "native")
                .property("escadrille.sign-in.failures-per-account", "5")
                .property("escadrille.sign-in.failures-per-address", "8")
                .property("escadrille.sign-in.api-key-failures-per-address", "5")
                .property("escadrille.sign-in.window", "1h")
                .start();
        var accounts = server.bean(AccountService.class);
        for (String name : new String[] {"erin", "frank", "gina"}) {
            accounts.createUser(name, "password-" + name, Account.Role.USER);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static boolean signedIn(HttpResponse<String> response) {
        return response.statusCode() == 302 && response.headers().firstValue("Location").orElseThrow().endsWith("/");
    }

    @Test
    void manyWrongPasswordsFromManyAddressesThenTheRightOneIsToldToWait() {
        for (int i = 0; i < 120; i++) {
            var attempt = new PortalVisitor(server.url(), "10.20.0." + (i % 250)).signIn("erin", "wrong-" + i);
            assertThat(signedIn(attempt)).isFalse();
        }

        var visitor = new PortalVisitor(server.url(), "10.20.1.1");
        var right = visitor.signIn("erin", "password-erin");

        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValueAsLong("Retry-After").orElseThrow()).isBetween(1L, 720L);
        assertThat(right.body()).contains("Too many failed sign-ins", "wait");
        assertThat(visitor.get("/account").statusCode()).as("not signed in").isEqualTo(302);
        var paused = server.admin().get("/api/v1/audit?size=200").json().path("events").findValuesAsString("action");
        assertThat(paused.stream().filter("sign-in-paused"::equals)).as("recorded once per emptied bucket, not per try")
                .hasSizeLessThan(10).isNotEmpty();
    }

    @Test
    void anAddressThatFailedOnManyAccountsWaitsEvenForAnAccountItKnows() {
        var guesser = new PortalVisitor(server.url(), "10.30.0.1");
        for (int i = 0; i < 8; i++) {
            assertThat(signedIn(guesser.signIn("nobody" + i, "whatever-password"))).isFalse();
        }

        var right = guesser.signIn("frank", "password-frank");

        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValue("Retry-After")).isPresent();
        assertThat(signedIn(new PortalVisitor(server.url(), "10.30.0.2").signIn("frank", "password-frank")))
                .as("from another address").isTrue();
    }

    @Test
    void randomApiKeysAreTurnedAwayAfterAFewTries() throws Exception {
        var http = HttpClient.newHttpClient();
        int unauthorized = 0;
        int tooMany = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 50; i++) {
            last = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/me"))
                    .header("apikey", Ids.newSecret()).header("X-Forwarded-For", "10.40.0.1").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 401) {
                unauthorized++;
            } else if (last.statusCode() == 429) {
                tooMany++;
            }
        }

        assertThat(unauthorized).isEqualTo(5);
        assertThat(tooMany).isEqualTo(45);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(last.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(last.body()).contains("wait");
        var other = server.newUser("hugo");
        var fromElsewhere = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/me"))
                .header("apikey", other.apiKey()).header("X-Forwarded-For", "10.40.0.2").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fromElsewhere.statusCode()).isEqualTo(200);
    }

    @Test
    void aFiveThousandCharacterUsernameIsAnOrdinaryFailedSignIn() {
        var visitor = new PortalVisitor(server.url(), "10.50.0.1");

        var response = visitor.signIn("x".repeat(5000), "some-password");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/login?error");
        assertThat(visitor.get(response.headers().firstValue("Location").orElseThrow()
                .replaceFirst("^https?://[^/]+", "")).body()).contains("Wrong username or password");
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsAnOrdinaryFailedSignIn() {
        var visitor = new PortalVisitor(server.url(), "10.60.0.1");

        var response = visitor.signIn("gina", "password-gina" + "x".repeat(100));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/login?error");
    }
}
