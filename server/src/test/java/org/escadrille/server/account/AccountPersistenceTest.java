package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestDatabases;
import org.escadrille.server.TestServer;
import org.escadrille.server.catalog.Catalog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SQL of keys (expiry, last use, revocation), passwords and the audit log, on H2 and PostgreSQL alike. */
@Tag("e2e")
class AccountPersistenceTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void keysPasswordsAndTheAuditLogWorkOnEveryDatabase(String databaseName) throws Exception {
        if (databaseName.equals("PostgreSQL")) {
            Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        }
        var dataDir = Files.createTempDirectory("escadrille-accounts-");
        try (var database = databaseName.equals("H2") ? TestDatabases.h2(dataDir) : TestDatabases.freshPostgres();
             var server = TestServer.builder().pilots(false).dataDir(dataDir).database(database).start()) {
            var user = server.newUser("sam");
            var created = user.post("/api/v1/account/keys",
                    ApiClient.json(Map.of("label", "db", "expiresAt", Instant.now().plusSeconds(3600).toString())));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            var key = user.as(created.json().path("key").asString());
            assertThat(key.get("/api/v1/me").status()).isEqualTo(200);
            String id = created.json().path("id").asString();
            assertThat(user.get("/api/v1/account/keys/" + id).json().path("lastUsedAt").isNull()).isFalse();

            assertThat(user.delete("/api/v1/account/keys/" + id).json().path("state").asString()).isEqualTo("revoked");
            assertThat(key.get("/api/v1/me").status()).isEqualTo(401);
            assertThat(user.post("/api/v1/account/password",
                    ApiClient.json(Map.of("currentPassword", "password-sam", "newPassword", "another-password"))).status())
                    .isEqualTo(204);

            var first = server.admin().get("/api/v1/audit?page=0&size=2").json();
            var second = server.admin().get("/api/v1/audit?page=1&size=2").json();
            assertThat(first.path("events").get(0).path("action").asString()).isEqualTo("password-changed");
            assertThat(first.path("events").get(1).path("action").asString()).isEqualTo("api-key-revoked");
            assertThat(second.path("events").get(0).path("action").asString()).isEqualTo("api-key-created");
            assertThat(first.path("total").asLong()).as("and the keys made with the first admin and with sam").isEqualTo(5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void usersAreSearchedDisabledAndTheirVersionsListedOnEveryDatabase(String databaseName) throws Exception {
        if (databaseName.equals("PostgreSQL")) {
            Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        }
        var dataDir = Files.createTempDirectory("escadrille-users-");
        try (var database = databaseName.equals("H2") ? TestDatabases.h2(dataDir) : TestDatabases.freshPostgres();
             var server = TestServer.builder().pilots(false).dataDir(dataDir).database(database).start()) {
            var kim = server.newUser("kim");
            var admin = server.admin();
            admin.send("PATCH", "/api/v1/users/kim", "application/json", "{\"email\": \"kim_100%@example.org\"}".getBytes());

            assertThat(admin.get("/api/v1/users?q=_100%25").json()).extracting(u -> u.path("username").asString())
                    .as("_ and %% are letters in a search, not wildcards").containsExactly("kim");
            assertThat(admin.get("/api/v1/users?q=k_m").json()).isEmpty();
            admin.send("PATCH", "/api/v1/users/kim", "application/json", "{\"enabled\": false}".getBytes());
            assertThat(kim.get("/api/v1/me").status()).isEqualTo(401);
            assertThat(admin.get("/api/v1/users/kim").json().path("disabledAt").isNull()).isFalse();
            var versions = server.bean(Catalog.class).versionsManagedBy(server.bean(AccountService.class)
                    .findByUsername("admin").orElseThrow());
            assertThat(versions).isNotEmpty().allSatisfy(version -> assertThat(version.listed()).isTrue());
        }
    }
}
