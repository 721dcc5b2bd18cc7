package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.TestDatabases;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The accounts of institutional sign-in on H2 and PostgreSQL alike: made pending at the first sign-in,
 * found again by issuer and subject, approved or rejected, never merged with a password account of the
 * same address, and made once when two first sign-ins race. The provider is never called here (its
 * discovery is read at the first sign-in through the browser, which these tests do not make).
 */
@Tag("e2e")
class OidcAccountsPersistenceTest {
    private static final String ISSUER = "https://id.uni.example/realms/science";

    private static OidcAccounts.Claims person(String subject, String email, String preferredUsername) {
        return new OidcAccounts.Claims("uni", ISSUER, subject, email, true, preferredUsername);
    }

    private static TestServer start(java.nio.file.Path dataDir, TestDatabases.Database database) {
        return TestServer.builder().pilots(false).dataDir(dataDir).database(database)
                .property("escadrille.oidc.providers.uni.issuer-uri", ISSUER)
                .property("escadrille.oidc.providers.uni.client-id", "escadrille")
                .property("escadrille.oidc.auto-approve-domains", "lab.example")
                .start();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aPendingAccountIsFoundAgainApprovedOrRejectedAndNeverMergedByAddress(String databaseName) throws Exception {
        if (databaseName.equals("PostgreSQL")) {
            Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        }
        var dataDir = Files.createTempDirectory("escadrille-oidc-");
        try (var database = databaseName.equals("H2") ? TestDatabases.h2(dataDir) : TestDatabases.freshPostgres();
             var server = start(dataDir, database)) {
            var oidc = server.bean(OidcAccounts.class);
            var admin = server.bean(AccountService.class).findByUsername("admin").orElseThrow();

            assertThat(oidc.signIn(person("s-1", "ann@uni.example", "ann"))).isEqualTo(new OidcAccounts.Outcome.Pending("ann"));
            assertThat(oidc.signIn(person("s-1", "ann@uni.example", "ann"))).as("the same account, still pending")
                    .isEqualTo(new OidcAccounts.Outcome.Pending("ann"));
            assertThat(oidc.pending()).singleElement().satisfies(pending -> {
                assertThat(pending.username()).isEqualTo("ann");
                assertThat(pending.issuer()).isEqualTo(ISSUER);
            });
            for (int i = 0; i < 15; i++) {
                assertThat(oidc.pending()).as("each read gives its connection back (the pool holds 10)").hasSize(1);
            }
            oidc.approve(admin, "ann", "10.0.0.1");
            assertThat(oidc.pending()).isEmpty();
            assertThat(oidc.signIn(person("s-1", "ann.new@uni.example", "ann")))
                    .isInstanceOfSatisfying(OidcAccounts.Outcome.SignedIn.class, in -> {
                        assertThat(in.account().username()).isEqualTo("ann");
                        assertThat(in.created()).isFalse();
                    });

            oidc.signIn(person("s-2", "ben@uni.example", "ben"));
            oidc.reject(admin, "ben", "10.0.0.1");
            assertThat(oidc.signIn(person("s-2", "ben@uni.example", "ben"))).isEqualTo(new OidcAccounts.Outcome.Disabled("ben"));
            assertThatThrownBy(() -> oidc.approve(admin, "ben", "10.0.0.1")).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("waits for approval");

            var accounts = server.bean(AccountService.class);
            var cleo = accounts.createUser("cleo", "password-cleo", Account.Role.USER);
            accounts.changeMailPreference(cleo, new MailPreference("cleo@lab.example", true));
            assertThat(oidc.signIn(person("s-3", "cleo@lab.example", "cleo")))
                    .isInstanceOfSatisfying(OidcAccounts.Outcome.SignedIn.class, in -> {
                        assertThat(in.account().username()).isEqualTo("cleo-2");
                        assertThat(in.account().id()).isNotEqualTo(cleo.id());
                    });
            assertThat(accounts.authenticatePassword("cleo", "password-cleo")).contains(cleo);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void firstSignInsThatRaceMakeOneAccount(String databaseName) throws Exception {
        if (databaseName.equals("PostgreSQL")) {
            Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        }
        var dataDir = Files.createTempDirectory("escadrille-oidc-race-");
        try (var database = databaseName.equals("H2") ? TestDatabases.h2(dataDir) : TestDatabases.freshPostgres();
             var server = start(dataDir, database);
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var oidc = server.bean(OidcAccounts.class);
            var go = new CountDownLatch(1);
            var outcomes = new ArrayList<Future<OidcAccounts.Outcome>>();
            for (int i = 0; i < 8; i++) {
                Callable<OidcAccounts.Outcome> signIn = () -> {
                    go.await();
                    return oidc.signIn(person("s-race", "dan@lab.example", "dan"));
                };
                outcomes.add(threads.submit(signIn));
            }
            go.countDown();

            var usernames = new ArrayList<String>();
            for (var outcome : outcomes) {
                usernames.add(((OidcAccounts.Outcome.SignedIn) outcome.get()).account().username());
            }
            assertThat(usernames).containsOnly("dan");
            assertThat(server.bean(UserAdministration.class).find("dan")).hasSize(1);
        }
    }
}
