package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.MovableClock;
import org.escadrille.server.account.PilotTokenVerifier.Accepted;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * When a pilot was last heard from: the database learns it at most every eighth of a session token's lifetime
 * (30 s by default) however often the pilot calls, and what reads it gets the time in memory when later. A
 * pilot of a manual site that is not heard from for a whole lifetime is taken for gone, so a pilot that calls
 * every second must be written again within it, and a call the server sheds counts as heard from.
 */
class PilotLastHeardTest {
    private final MovableClock clock = new MovableClock();
    private JdbcClient jdbc;
    private PilotRegistry registry;

    @BeforeEach
    void database() {
        var dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:last-heard-" + Ids.newId() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        registry = new PilotRegistry(jdbc, new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource),
                EscadrilleProperties.withDataDir(Path.of("target")), clock);
    }

    @AfterEach
    void stop() {
        registry.destroy();
    }

    @Test
    void aPilotThatCallsEverySecondIsWrittenOncePerPeriodAndReadAsLastHeard() {
        var credentials = registry.mint("test");
        var accepted = (Accepted) registry.verify(credentials.token(), true);
        registry.register(credentials.pilotId(), accepted.tokenId(), new PilotRegistration("host", 2, 1024, List.of(), "test", "25", List.of()));
        long registeredAt = clock.millis();

        for (int second = 1; second <= 70; second++) {
            clock.advance(Duration.ofSeconds(1));
            registry.seen(credentials.pilotId());
        }

        // Session tokens live 240 s by default: written at 30 s and 60 s after the registration, not at each call.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stored(credentials.pilotId()))
                .isEqualTo(registeredAt + 60_000));
        assertThat(registry.recent(10)).singleElement()
                .satisfies(pilot -> assertThat(pilot.lastHeartbeatAtMs()).as("the last call, from memory").isEqualTo(registeredAt + 70_000));
    }

    @Test
    void aPilotWhoseCallsAreShedIsReadAsHeardFromAtItsLastShedCall() {
        var credentials = registry.mint("test");
        var accepted = (Accepted) registry.verify(credentials.token(), true);
        String session = registry.register(credentials.pilotId(), accepted.tokenId(),
                new PilotRegistration("host", 2, 1024, List.of(), "test", "25", List.of()));
        long registeredAt = clock.millis();

        clock.advance(Duration.ofSeconds(100));
        registry.shed(session);
        clock.advance(Duration.ofSeconds(5));
        registry.shed(Ids.newSecret());

        assertThat(registry.recent(10)).singleElement()
                .satisfies(pilot -> assertThat(pilot.lastHeartbeatAtMs()).isEqualTo(registeredAt + 100_000));
    }

    private long stored(String pilotId) {
        return jdbc.sql("SELECT last_heartbeat_at FROM pilots WHERE id = ?").param(pilotId).query(Long.class).single();
    }
}
