package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.server.ConflictException;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.MovableClock;
import org.escadrille.server.ServiceBusyException;
import org.escadrille.server.account.PilotTokenVerifier;
import org.escadrille.server.account.PilotTokenVerifier.Accepted;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.web.server.ResponseStatusException;

/**
 * Registrations are written in batches (one transaction for those that arrive together): each pilot
 * still gets its own session token, a refused one does not take the others of its batch down, and a
 * batch the database refuses fails its callers as busy (a 503 they retry) with no token spent.
 */
class PilotRegistrationBatchTest {
    private final MovableClock clock = new MovableClock();
    private JdbcDataSource dataSource;
    private JdbcClient jdbc;
    private PilotRegistry registry;

    @BeforeEach
    void database() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:registrations-" + Ids.newId() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        var properties = EscadrilleProperties.withDataDir(Path.of("target"));
        registry = new PilotRegistry(jdbc, new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource),
                properties, clock);
    }

    @AfterEach
    void stop() {
        registry.destroy();
    }

    @Test
    void concurrentRegistrationsAllSucceedAndAreAllPersisted() throws Exception {
        var pilots = new ArrayList<PilotRegistry.Credentials>();
        for (int i = 0; i < 300; i++) {
            pilots.add(registry.mint("test"));
        }

        var sessions = all(pilots.stream().<Callable<String>>map(p -> () -> register(p, "host-" + p.pilotId())).toList());

        assertThat(sessions).hasSize(300).doesNotContainNull().doesNotHaveDuplicates();
        for (int i = 0; i < pilots.size(); i++) {
            var pilot = pilots.get(i);
            assertThat(registry.verify(sessions.get(i), false)).as("the session token of %s", pilot.pilotId())
                    .isInstanceOfSatisfying(Accepted.class, accepted -> assertThat(accepted.pilotId()).isEqualTo(pilot.pilotId()));
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM pilots WHERE state = 'RUNNING' AND host = CONCAT('host-', id)")
                .query(Long.class).single()).isEqualTo(300);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM pilot_tokens WHERE kind = 'SESSION'").query(Long.class).single()).isEqualTo(300);
    }

    @Test
    void theSameRegistrationSentTwiceAtOnceRegistersThePilotOnceAndAnswersBoth() throws Exception {
        var twice = registry.mint("test");
        var others = List.of(registry.mint("test"), registry.mint("test"));
        var calls = new ArrayList<Callable<String>>();
        calls.add(() -> outcome(twice));
        calls.add(() -> outcome(twice));
        others.forEach(p -> calls.add(() -> outcome(p)));

        var outcomes = all(calls);

        // The first answer may be lost (a time-out under load): the pilot, which never got it, asks again.
        assertThat(outcomes).allMatch(o -> o.startsWith("session"));
        for (String session : outcomes.subList(0, 2)) {
            assertThat(registry.verify(session.substring("session ".length()), false))
                    .isInstanceOfSatisfying(Accepted.class, accepted -> assertThat(accepted.pilotId()).isEqualTo(twice.pilotId()));
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM pilots WHERE state = 'RUNNING'").query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void aRegistrationSentAgainAfterItsAnswerWasLostGetsASessionUntilThePilotCallsWithOne() {
        var pilot = registry.mint("test");
        String lost = register(pilot, "node-1");

        String again = register(pilot, "node-1");

        assertThat(again).as("a fresh session token").isNotEqualTo(lost);
        assertThat(registry.verify(again, false)).isInstanceOf(Accepted.class);
        assertThat(registry.verify(pilot.token(), true)).as("once the pilot has called with a session token")
                .isInstanceOfSatisfying(PilotTokenVerifier.Refused.class,
                        refused -> assertThat(refused.reason()).contains("used already", "good for one registration"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM pilots WHERE state = 'RUNNING' AND host = 'node-1'").query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void aRegistrationSentAgainAsAnotherHostOrWithOtherTagsIsRefused() {
        var pilot = registry.mint("test");
        register(pilot, "node-1");

        // Only the pilot that lost its answer asks again, and it asks the same: anyone else is refused.
        assertThatThrownBy(() -> register(pilot, "elsewhere")).isInstanceOfSatisfying(ResponseStatusException.class,
                e -> assertThat(e.getStatusCode().value()).isEqualTo(401)).hasMessageContaining("used already");
        assertThat(jdbc.sql("SELECT host FROM pilots WHERE id = ?").param(pilot.pilotId()).query(String.class).single())
                .isEqualTo("node-1");
    }

    @Test
    void aSpentRegistrationTokenOfAnotherServerProcessIsRefused() {
        var pilot = registry.mint("test");
        register(pilot, "node-1");
        registry.destroy();
        registry = new PilotRegistry(jdbc, new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource),
                EscadrilleProperties.withDataDir(Path.of("target")), clock);

        assertThat(registry.verify(pilot.token(), true)).as("after a restart the server cannot tell it had no call")
                .isInstanceOf(PilotTokenVerifier.Refused.class);
    }

    @Test
    void aBatchTheDatabaseRefusesFailsItsCallersAsBusyAndSpendsNoToken() {
        var pilot = registry.mint("test");
        jdbc.sql("ALTER TABLE pilots RENAME TO pilots_away").update();

        assertThatThrownBy(() -> register(pilot, "node-1")).isInstanceOf(ServiceBusyException.class)
                .hasMessageContaining("try again");

        jdbc.sql("ALTER TABLE pilots_away RENAME TO pilots").update();
        assertThat(register(pilot, "node-1")).as("the same registration, sent again").isNotBlank();
    }

    private String register(PilotRegistry.Credentials pilot, String host) {
        var accepted = (Accepted) registry.verify(pilot.token(), true);
        return registry.register(pilot.pilotId(), accepted.tokenId(),
                new PilotRegistration(host, 2, 1024, List.of(), "test", "25", List.of()));
    }

    private String outcome(PilotRegistry.Credentials pilot) {
        try {
            return "session " + register(pilot, "host");
        } catch (ConflictException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static List<String> all(List<Callable<String>> calls) throws InterruptedException, ExecutionException {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = threads.invokeAll(calls);
            var results = new ArrayList<String>();
            for (Future<String> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
