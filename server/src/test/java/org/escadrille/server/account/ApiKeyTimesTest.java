package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.MovableClock;
import org.escadrille.server.audit.AuditLog;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The rules of API keys about time, on a real (in-memory H2) database with a clock the test moves: a
 * key works until its expiry and not at it, an expiry must be in the future, and a key's last use is
 * written at most once a minute (a busy script costs no write per call).
 */
class ApiKeyTimesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static JdbcDataSource dataSource;

    private final MovableClock clock = new MovableClock(T0);
    private AccountService accounts;
    private Account alice;

    @BeforeAll
    static void database() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:keys-" + Ids.newId() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    @BeforeEach
    void service() {
        var jdbc = JdbcClient.create(dataSource);
        accounts = new AccountService(new AccountRepository(jdbc), new BCryptPasswordEncoder(4), new AuditLog(jdbc, clock),
                clock);
        alice = accounts.createUser("u" + Ids.newId(), "a good password", Account.Role.USER);
    }

    @Test
    void aKeyWorksUntilItsExpiryAndNotAtIt() {
        var key = accounts.createApiKey(alice, "ci", T0.plus(Duration.ofDays(7)), "127.0.0.1");

        clock.advance(Duration.ofDays(7).minusMillis(1));
        assertThat(accounts.authenticateApiKey(key.secret())).contains(alice);

        clock.advance(Duration.ofMillis(1));
        assertThat(accounts.authenticateApiKey(key.secret())).isEmpty();
        assertThat(accounts.apiKey(alice, key.key().id()).state()).isEqualTo(ApiKey.State.EXPIRED);
    }

    @Test
    void anExpiryMustBeInTheFuture() {
        assertThatThrownBy(() -> accounts.createApiKey(alice, "ci", T0, "127.0.0.1"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("must be in the future");
    }

    @Test
    void aKeysLastUseIsWrittenAtMostOnceAMinute() {
        var key = accounts.createApiKey(alice, "script", null, "127.0.0.1");

        accounts.authenticateApiKey(key.secret());
        assertThat(lastUsed(key)).isEqualTo(T0);

        clock.advance(Duration.ofSeconds(59));
        accounts.authenticateApiKey(key.secret());
        assertThat(lastUsed(key)).isEqualTo(T0);

        clock.advance(Duration.ofSeconds(1));
        accounts.authenticateApiKey(key.secret());
        assertThat(lastUsed(key)).isEqualTo(T0.plusSeconds(60));
    }

    private Instant lastUsed(NewApiKey key) {
        return accounts.apiKey(alice, key.key().id()).lastUsedAt();
    }
}
