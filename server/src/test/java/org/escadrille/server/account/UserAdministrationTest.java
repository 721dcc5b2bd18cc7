package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Map;
import java.util.regex.Pattern;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Admins find users, change their address and role, disable and enable them and give them new
 * passwords, on the admin page and through {@code /api/v1/users}; a disabled user cannot sign in, their
 * keys answer 401 and their open session ends, while their queued work stays; an admin cannot disable
 * themselves; every act is audited.
 */
@Tag("e2e")
class UserAdministrationTest {
    private static final Pattern GENERATED = Pattern.compile("id=\"generated-password\"[^>]*value=\"([^\"]+)\"");
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

    private static String adminPassword() {
        try {
            return Files.readString(server.dataDir().resolve("admin.password")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PortalVisitor signedInAdmin(String address) {
        var admin = new PortalVisitor(server.url(), address);
        assertThat(admin.signIn("admin", adminPassword()).statusCode()).isEqualTo(302);
        return admin;
    }

    @Test
    void aDisabledUserCannotSignInTheirKeysAnswer401TheirSessionEndsAndTheirQueuedWorkStays() {
        var rita = server.newUser("rita");
        String queued = rita.launch(Map.of("app", "pi", "name", "waiting", "inputs", Map.of("events", 1000)));
        var ritaInBrowser = new PortalVisitor(server.url(), "10.91.0.1");
        assertThat(ritaInBrowser.signIn("rita", "password-rita").headers().firstValue("Location").orElse("")).doesNotContain("error");
        assertThat(ritaInBrowser.get("/executions").statusCode()).isEqualTo(200);
        var admin = signedInAdmin("10.91.0.2");

        var disabled = admin.post("/admin", "/admin/users/enabled", "username", "rita", "enabled", "false");

        assertThat(disabled.statusCode()).isEqualTo(302);
        var refused = rita.get("/api/v1/executions");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("detail").asString()).contains("its user is disabled");
        var ended = ritaInBrowser.get("/executions");
        assertThat(ended.statusCode()).isEqualTo(302);
        assertThat(ended.headers().firstValue("Location").orElseThrow()).endsWith("/login?ended");
        var signIn = new PortalVisitor(server.url(), "10.91.0.3").signIn("rita", "password-rita");
        assertThat(signIn.headers().firstValue("Location").orElseThrow()).contains("/login?disabled");
        var wrongPassword = new PortalVisitor(server.url(), "10.91.0.4").signIn("rita", "not-her-password");
        assertThat(wrongPassword.headers().firstValue("Location").orElseThrow())
                .as("only the right password learns that the account is disabled").contains("/login?error");
        assertThat(server.admin().get("/api/v1/users/rita").json().path("enabled").asBoolean()).isFalse();

        var enabled = server.admin().send("PATCH", "/api/v1/users/rita", "application/json", "{\"enabled\": true}".getBytes());

        assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
        assertThat(rita.get("/api/v1/executions/" + queued).json().path("status").asString())
                .as("disabling is about access: the queued execution stayed").isIn("Initializing", "Ready");
        assertThat(new PortalVisitor(server.url(), "10.91.0.5").signIn("rita", "password-rita").headers()
                .firstValue("Location").orElseThrow()).doesNotContain("error", "disabled");
    }

    @Test
    void anAdminCannotDisableThemselves() {
        var answer = server.admin().send("PATCH", "/api/v1/users/admin", "application/json", "{\"enabled\": false}".getBytes());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("detail").asString()).contains("cannot disable your own account");
        var page = signedInAdmin("10.92.0.1").post("/admin", "/admin/users/enabled", "username", "admin", "enabled", "false");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("You cannot disable your own account");
        assertThat(server.admin().get("/api/v1/users/admin").json().path("enabled").asBoolean()).isTrue();
    }

    @Test
    void aGeneratedPasswordIsShownOnceAndReplacesTheOldOne() {
        accounts.createUser("sami", "password-sami", Account.Role.USER);
        var admin = signedInAdmin("10.93.0.1");

        var reset = admin.post("/admin", "/admin/users/password", "username", "sami", "password", "");
        var page = admin.get(reset.headers().firstValue("Location").orElseThrow().replace(server.url(), ""));

        var generated = GENERATED.matcher(page.body());
        assertThat(generated.find()).as(page.body()).isTrue();
        assertThat(admin.get("/admin").body()).as("shown once").doesNotContain(generated.group(1));
        assertThat(accounts.authenticatePassword("sami", "password-sami")).isEmpty();
        assertThat(accounts.authenticatePassword("sami", generated.group(1))).isPresent();

        var chosen = server.admin().post("/api/v1/users/sami/password", "{\"password\": \"chosen-by-admin\"}");
        assertThat(chosen.status()).as(chosen.body()).isEqualTo(200);
        assertThat(chosen.json().path("generatedPassword").isNull()).isTrue();
        assertThat(accounts.authenticatePassword("sami", "chosen-by-admin")).isPresent();
        var tooShort = server.admin().post("/api/v1/users/sami/password", "{\"password\": \"short\"}");
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.json().path("detail").asString()).contains("at least 8 characters");
    }

    @Test
    void usersAreFoundByNameOrAddressAndTheirAddressAndRoleChange() {
        accounts.createUser("tomas", "password-tomas", Account.Role.USER);
        var admin = server.admin();

        var changed = admin.send("PATCH", "/api/v1/users/tomas", "application/json",
                "{\"email\": \"tomas@lab.example.org\", \"role\": \"developer\"}".getBytes());

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("role").asString()).isEqualTo("developer");
        var found = admin.get("/api/v1/users?q=LAB.example").json();
        assertThat(found).extracting(user -> user.path("username").asString()).containsExactly("tomas");
        var badAddress = admin.send("PATCH", "/api/v1/users/tomas", "application/json",
                "{\"email\": \"not an address\", \"role\": \"admin\"}".getBytes());
        assertThat(badAddress.status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/users/tomas").json().path("role").asString())
                .as("a refused change changes nothing").isEqualTo("developer");
        var page = signedInAdmin("10.94.0.1");
        page.post("/admin", "/admin/users/email", "username", "tomas", "email", "");
        assertThat(admin.get("/api/v1/users/tomas").json().path("email").isNull()).isTrue();
        assertThat(page.get("/admin?q=tom").body()).contains("id=\"user-tomas\"").doesNotContain("id=\"user-admin\"");
        assertThat(server.newUser("ulla").get("/api/v1/users").status()).isEqualTo(403);
    }

    @Test
    void everyActOnAUserIsAudited() {
        accounts.createUser("vera", "password-vera", Account.Role.USER);
        var admin = signedInAdmin("10.95.0.1");
        admin.post("/admin", "/admin/users/email", "username", "vera", "email", "vera@example.org");
        admin.post("/admin", "/admin/users/enabled", "username", "vera", "enabled", "false");
        admin.post("/admin", "/admin/users/enabled", "username", "vera", "enabled", "true");
        admin.post("/admin", "/admin/users/password", "username", "vera", "password", "");

        var acts = new ArrayList<String>();
        for (JsonNode event : server.admin().get("/api/v1/audit?size=200").json().path("events")) {
            acts.add(event.path("actor").asString() + " " + event.path("action").asString() + " "
                    + event.path("target").asString() + " " + event.path("address").asString());
        }
        assertThat(acts).containsSubsequence(
                "admin password-reset vera (generated) 10.95.0.1",
                "admin user-enabled vera 10.95.0.1",
                "admin user-disabled vera 10.95.0.1",
                "admin email-changed vera: vera@example.org 10.95.0.1");
    }
}
