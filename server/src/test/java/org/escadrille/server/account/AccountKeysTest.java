package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * API keys show their real state (created, last used, expires) and are revoked through the API or the
 * account page, after which they are refused; passwords change given the current one and are held to
 * what BCrypt can keep; and all of it lands in the audit log, which only admins read.
 */
@Tag("e2e")
class AccountKeysTest {
    private static TestServer server;
    private static AccountService accounts;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).property("server.forward-headers-strategy", "native").start();
        accounts = server.bean(AccountService.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode keyNamed(ApiClient client, String id) {
        for (JsonNode key : client.get("/api/v1/account/keys").json()) {
            if (key.path("id").asString().equals(id)) {
                return key;
            }
        }
        throw new AssertionError("no key " + id);
    }

    @Test
    void aKeyCreatedThroughTheApiWorksShowsItsUseAndIsRefusedOnceRevoked() {
        var ivan = server.newUser("ivan");
        var expires = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MILLIS);

        var created = ivan.post("/api/v1/account/keys", ApiClient.json(Map.of("label", "script", "expiresAt", expires.toString())));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        var script = ivan.as(created.json().path("key").asString());
        assertThat(created.json().path("state").asString()).isEqualTo("active");
        assertThat(Instant.parse(created.json().path("expiresAt").asString())).isEqualTo(expires);
        assertThat(script.get("/api/v1/me").status()).isEqualTo(200);
        var listed = keyNamed(ivan, id);
        assertThat(listed.path("state").asString()).isEqualTo("active");
        assertThat(listed.path("lastUsedAt").isNull()).as("last used is known").isFalse();
        assertThat(listed.has("key") && !listed.path("key").isNull()).as("the secret is never listed").isFalse();

        var revoked = ivan.delete("/api/v1/account/keys/" + id);

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().path("state").asString()).isEqualTo("revoked");
        assertThat(script.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(ivan.delete("/api/v1/account/keys/" + id).status()).as("revoked already").isEqualTo(404);
    }

    @Test
    void anExpiredKeyIsRefusedAndShownAsExpired() {
        var judy = server.newUser("judy");
        var created = judy.post("/api/v1/account/keys",
                ApiClient.json(Map.of("label", "short", "expiresAt", Instant.now().plusSeconds(1).toString())));
        var shortLived = judy.as(created.json().path("key").asString());

        await().atMost(Duration.ofSeconds(10)).until(() -> shortLived.get("/api/v1/me").status() == 401);

        assertThat(keyNamed(judy, created.json().path("id").asString()).path("state").asString()).isEqualTo("expired");
    }

    @Test
    void anExpiryInThePastOrNotADateIsABadRequestSayingWhy() {
        var kim = server.newUser("kim");

        var past = kim.post("/api/v1/account/keys", ApiClient.json(Map.of("expiresAt", "2001-01-01T00:00:00Z")));
        var notADate = kim.post("/api/v1/account/keys", ApiClient.json(Map.of("expiresAt", "next week")));

        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().path("detail").asString()).contains("in the future");
        assertThat(notADate.status()).isEqualTo(400);
        assertThat(notADate.json().path("detail").asString()).contains("expiresAt", "date and time")
                .doesNotContain("java.", "Instant", "tools.jackson");
    }

    @Test
    void theAccountPageShowsEachKeysStateAndRevokesWithItsButton() {
        var lena = accounts.createUser("lena", "password-lena", Account.Role.USER);
        var key = accounts.createApiKey(lena, "laptop", null, "test");
        var visitor = new PortalVisitor(server.url(), "10.70.0.1");
        assertThat(visitor.signIn("lena", "password-lena").statusCode()).isEqualTo(302);

        var page = visitor.get("/account").body();
        assertThat(page).contains("laptop", ">active<", "/account/keys/" + key.key().id() + "/revoke")
                .doesNotContain(">revoked<");

        var revoked = visitor.post("/account", "/account/keys/" + key.key().id() + "/revoke");

        assertThat(revoked.statusCode()).isEqualTo(302);
        assertThat(new ApiClient(server.url(), key.secret()).get("/api/v1/me").status()).isEqualTo(401);
        assertThat(visitor.get("/account").body()).contains(">revoked<");
    }

    @Test
    void aPasswordChangesThroughTheApiGivenTheCurrentOneAndWithinBcryptsLimit() {
        var mona = server.newUser("mona");
        String path = "/api/v1/account/password";

        var wrongCurrent = mona.post(path, ApiClient.json(Map.of("currentPassword", "nope", "newPassword", "new-password-1")));
        var onlySpaces = mona.post(path, ApiClient.json(Map.of("currentPassword", "password-mona", "newPassword", "          ")));
        var tooLong = mona.post(path, ApiClient.json(Map.of("currentPassword", "password-mona", "newPassword", "é".repeat(37))));
        var changed = mona.post(path, ApiClient.json(Map.of("currentPassword", "password-mona", "newPassword", "new-password-1")));

        assertThat(wrongCurrent.status()).isEqualTo(400);
        assertThat(wrongCurrent.json().path("detail").asString()).contains("current password");
        assertThat(onlySpaces.status()).isEqualTo(400);
        assertThat(onlySpaces.json().path("detail").asString()).contains("only spaces");
        assertThat(tooLong.status()).as("74 bytes").isEqualTo(400);
        assertThat(tooLong.json().path("detail").asString()).contains("72 bytes");
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        assertThat(accounts.authenticatePassword("mona", "password-mona")).isEmpty();
        assertThat(accounts.authenticatePassword("mona", "new-password-1")).isPresent();
    }

    @Test
    void aPasswordChangesOnTheAccountPage() {
        accounts.createUser("nina", "password-nina", Account.Role.USER);
        var visitor = new PortalVisitor(server.url(), "10.70.0.2");
        visitor.signIn("nina", "password-nina");

        var wrong = visitor.post("/account", "/account/password", "currentPassword", "nope", "newPassword", "new-password-2");
        var changed = visitor.post("/account", "/account/password", "currentPassword", "password-nina",
                "newPassword", "new-password-2");

        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("current password is not right");
        assertThat(changed.statusCode()).isEqualTo(302);
        assertThat(accounts.authenticatePassword("nina", "new-password-2")).isPresent();
    }

    @Test
    void newPasswordsOfOnlySpacesOrOverSeventyTwoBytesAreRefused() {
        assertThatThrownBy(() -> accounts.createUser("oscar", " ".repeat(12), Account.Role.USER))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("only spaces");
        assertThatThrownBy(() -> accounts.createUser("oscar", "a".repeat(73), Account.Role.USER))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("72 bytes");
        assertThat(accounts.findByUsername("oscar")).isEmpty();

        var admin = new PortalVisitor(server.url(), "10.70.0.3");
        admin.signIn("admin", adminPassword());
        var page = admin.post("/admin", "/admin/users", "username", "oscar", "password", " ".repeat(12), "role", "USER");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("only spaces");
    }

    @Test
    void securityActsAreInTheAuditLogNewestFirstForAdminsOnly() {
        var paul = accounts.createUser("paul", "password-paul", Account.Role.USER);
        var visitor = new PortalVisitor(server.url(), "10.80.0.1");
        visitor.signIn("paul", "wrong-password");
        visitor.signIn("paul", "password-paul");
        var key = visitor.post("/account", "/account/keys", "label", "audited", "expiresInDays", "30");
        assertThat(key.statusCode()).isEqualTo(302);
        var admin = new PortalVisitor(server.url(), "10.80.0.2");
        admin.signIn("admin", adminPassword());
        assertThat(admin.post("/admin", "/admin/users/role", "username", "paul", "role", "DEVELOPER").statusCode()).isEqualTo(302);

        var log = server.admin().get("/api/v1/audit?size=200");

        assertThat(log.status()).as(log.body()).isEqualTo(200);
        var acts = new ArrayList<String>();
        for (JsonNode event : log.json().path("events")) {
            acts.add(event.path("actor").asString() + " " + event.path("action").asString() + " "
                    + event.path("target").asString() + " " + event.path("address").asString());
        }
        assertThat(acts).containsSubsequence(
                "admin role-changed paul: user → developer 10.80.0.2",
                "admin sign-in admin 10.80.0.2",
                "paul api-key-created key " + accounts.apiKeys(paul).getFirst().id() + " (audited) 10.80.0.1",
                "paul sign-in paul 10.80.0.1",
                "- sign-in-failed paul 10.80.0.1");
        assertThat(accounts.findByUsername("paul").orElseThrow().role()).isEqualTo(Account.Role.DEVELOPER);
        var onePage = server.admin().get("/api/v1/audit?page=1&size=1");
        assertThat(onePage.json().path("events")).hasSize(1);
        assertThat(onePage.json().path("total").asLong()).isEqualTo(log.json().path("total").asLong());
        assertThat(server.newUser("quinn").get("/api/v1/audit").status()).isEqualTo(403);
        assertThat(admin.get("/admin").body()).contains("Audit log", "role-changed", "10.80.0.1");
    }

    private static String adminPassword() {
        try {
            return Files.readString(server.dataDir().resolve("admin.password")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
