package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.escadrille.server.Ids;
import org.escadrille.server.MovableClock;
import org.escadrille.server.account.PilotTokenVerifier;
import org.escadrille.server.account.PilotTokenVerifier.Accepted;
import org.escadrille.server.account.PilotTokenVerifier.Refused;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rules of pilots' tokens, on a real (in-memory H2) database with a clock the test moves: a
 * registration token is good once and for registering only; a session token dies after its lifetime
 * unless a heartbeat replaces it; a replaced one works for the grace; tokens alive when the server
 * stopped work again after it starts.
 */
class PilotTokensTest {
    private static final PilotTokens.Lifetimes LIFETIMES = new PilotTokens.Lifetimes(Duration.ofHours(1),
            Duration.ofSeconds(40), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(10));

    private final MovableClock clock = new MovableClock();
    private JdbcClient jdbc;
    private JdbcTemplate batches;
    private TransactionTemplate transactions;
    private PilotTokens tokens;
    private String pilotId;

    @BeforeEach
    void database() {
        var dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:tokens-" + Ids.newId() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        batches = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        tokens = new PilotTokens(jdbc, batches, transactions, clock, LIFETIMES);
        pilotId = Ids.newId();
        jdbc.sql("INSERT INTO pilots (id, backend, token_hash, state, created_at) VALUES (?, 'test', ?, 'SUBMITTED', 0)")
                .params(pilotId, Ids.newSecret()).update();
    }

    @Test
    void aRegistrationTokenIsGoodForOneRegistrationAndNothingElse() {
        String registration = Ids.newSecret();
        tokens.addRegistration(pilotId, registration);

        assertThat(tokens.verify(registration, false)).isInstanceOf(Refused.class);
        var accepted = (Accepted) tokens.verify(registration, true);
        assertThat(accepted.pilotId()).isEqualTo(pilotId);
        assertThat(tokens.spend(accepted.tokenId())).isTrue();

        assertThat(reason(tokens.verify(registration, true))).contains("used already", "one registration");
        assertThat(tokens.spend(accepted.tokenId())).as("spent once only").isFalse();
    }

    @Test
    void anUnusedRegistrationTokenExpires() {
        String registration = Ids.newSecret();
        tokens.addRegistration(pilotId, registration);

        clock.advance(Duration.ofHours(1));

        assertThat(reason(tokens.verify(registration, true))).contains("expired unused");
    }

    @Test
    void aSessionTokenCannotRegister() {
        String session = tokens.issueSession(pilotId);

        assertThat(reason(tokens.verify(session, true))).contains("registered already", "host and tags");
        assertThat(tokens.verify(session, false)).isInstanceOf(Accepted.class);
    }

    @Test
    void aSessionTokenExpiresAfterItsLifetimeUnlessRotated() {
        String session = tokens.issueSession(pilotId);

        clock.advance(Duration.ofSeconds(39));
        assertThat(tokens.verify(session, false)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(1));

        assertThat(reason(tokens.verify(session, false))).contains("expired", "new registration token");
        assertThat(reason(fresh().verify(session, false))).as("in the database too").contains("expired");
    }

    @Test
    void aRotatedTokenWorksForTheGraceOnceTheFreshOneIsShownThenDiesWhileTheFreshOneLivesOn() {
        String first = tokens.issueSession(pilotId);
        assertThat(tokens.verify(first, false)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(20));

        String second = tokens.rotate(pilotId, id(first)).orElseThrow();
        assertThat(tokens.verify(second, false)).as("the pilot got it and uses it").isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(9));
        assertThat(tokens.verify(first, false)).as("within the grace").isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(1));

        assertThat(tokens.verify(first, false)).as("10 s before its own lifetime's end").isInstanceOf(Refused.class);
        assertThat(fresh().verify(first, false)).as("in the database too").isInstanceOf(Refused.class);
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.verify(second, false)).as("40 s after its rotation, not after the first token's")
                .isInstanceOf(Accepted.class);
    }

    @Test
    void aPilotWhoseFreshTokenWasLostGoesOnWithTheOldOneUntilItShowsANewerOne() {
        String first = tokens.issueSession(pilotId);
        assertThat(tokens.verify(first, false)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(5));
        tokens.rotate(pilotId, id(first)).orElseThrow(); // the heartbeat's answer timed out: never received
        clock.advance(Duration.ofSeconds(15));

        assertThat(tokens.verify(first, false)).as("15 s after the rotation, past the 10 s grace").isInstanceOf(Accepted.class);
        String third = tokens.rotate(pilotId, id(first)).orElseThrow();
        assertThat(tokens.verify(third, false)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(9));
        assertThat(tokens.verify(first, false)).as("within the grace from the fresh token's first use").isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(1));

        assertThat(tokens.verify(first, false)).isInstanceOf(Refused.class);
        assertThat(fresh().verify(first, false)).as("in the database too, since the last rotation").isInstanceOf(Refused.class);
        assertThat(tokens.verify(third, false)).isInstanceOf(Accepted.class);
    }

    @Test
    void anOldTokenWhoseFreshOneWasNeverShownStillDiesAtTheEndOfItsLifetime() {
        String first = tokens.issueSession(pilotId);
        assertThat(tokens.verify(first, false)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(5));
        tokens.rotate(pilotId, id(first)).orElseThrow();

        clock.advance(Duration.ofSeconds(34));
        assertThat(tokens.verify(first, false)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(1));

        assertThat(reason(tokens.verify(first, false))).contains("expired");
    }

    @Test
    void rotationKeepsAPilotAliveFarBeyondOneLifetime() {
        String session = tokens.issueSession(pilotId);
        for (int heartbeat = 0; heartbeat < 20; heartbeat++) {
            assertThat(tokens.verify(session, false)).isInstanceOf(Accepted.class); // the heartbeat shows it
            clock.advance(Duration.ofSeconds(15));
            session = tokens.rotate(pilotId, id(session)).orElse(session);
        }

        assertThat(tokens.verify(session, false)).as("after 300 s of a 40 s lifetime").isInstanceOf(Accepted.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM pilot_tokens WHERE pilot_id = ?").param(pilotId).query(Long.class).single())
                .as("expired tokens are deleted as new ones come").isLessThanOrEqualTo(2);
    }

    @Test
    void aTokenIsReplacedOnceAQuarterOfItsLifetimeOldSoEveryFewHeartbeatsNotAtEach() {
        assertThat(PilotRegistry.rotateAfter(Duration.ofSeconds(15), Duration.ofMinutes(4)))
                .as("the defaults: a 4 min token, 15 s heartbeats").isEqualTo(Duration.ofMinutes(1));
        assertThat(PilotRegistry.rotateAfter(Duration.ofSeconds(20), Duration.ofSeconds(36)))
                .as("a lifetime of less than two heartbeats: half a heartbeat").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aHeartbeatSoonAfterARotationGetsNoTokenUnlessItShowedAnOlderOne() {
        String first = tokens.issueSession(pilotId);
        clock.advance(Duration.ofSeconds(6));
        String second = tokens.rotate(pilotId, id(first)).orElseThrow();
        clock.advance(Duration.ofSeconds(1));

        assertThat(tokens.rotate(pilotId, id(second))).as("the newest, 1 s old").isEmpty();
        // The reply that carried the second token was lost: the pilot still shows the first.
        assertThat(tokens.rotate(pilotId, id(first))).isPresent();
    }

    @Test
    void aCallThatShowsAnOlderTokenWhileTheNewestIsOnItsWayGetsTheSameOne() {
        String first = tokens.issueSession(pilotId);
        assertThat(tokens.verify(first, false)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(6));
        // A lease request takes a fresh token when it arrives; its reply carries it once the long poll ends.
        String leaseReply = tokens.rotate(pilotId, id(first)).orElseThrow();
        clock.advance(Duration.ofSeconds(2));

        String heartbeatReply = tokens.rotate(pilotId, id(first)).orElseThrow();

        assertThat(heartbeatReply).as("a heartbeat during the long poll, showing the first token").isEqualTo(leaseReply);
        assertThat(tokens.verify(heartbeatReply, false)).as("the pilot takes it up").isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(11));
        assertThat(tokens.verify(leaseReply, false)).as("what the pilot holds once the lease reply has come too, past the"
                + " first token's grace").isInstanceOf(Accepted.class);
        assertThat(tokens.verify(first, false)).isInstanceOf(Refused.class);
    }

    @Test
    void theNewestIsHandedOutAgainOnlyUntilThePilotShowsItOrItIsARotationOld() {
        String first = tokens.issueSession(pilotId);
        clock.advance(Duration.ofSeconds(6));
        String second = tokens.rotate(pilotId, id(first)).orElseThrow();
        clock.advance(Duration.ofSeconds(5));

        String third = tokens.rotate(pilotId, id(first)).orElseThrow();
        assertThat(third).as("the second, unshown, handed out a rotation (5 s) ago").isNotEqualTo(second);
        assertThat(tokens.verify(third, false)).isInstanceOf(Accepted.class);
        assertThat(tokens.rotate(pilotId, id(first))).as("the third, shown by the pilot").get().isNotEqualTo(third);
    }

    @Test
    void sessionTokensAliveWhenTheServerStoppedWorkAgainAfterItStarts() {
        String dead = tokens.issueSession(pilotId);
        clock.advance(Duration.ofSeconds(30));
        String replaced = tokens.rotate(pilotId, id(dead)).orElseThrow();
        clock.advance(Duration.ofSeconds(15));
        String live = tokens.rotate(pilotId, id(replaced)).orElseThrow();
        // The server stops here; it starts again an hour later.
        clock.advance(Duration.ofHours(1));

        var restarted = fresh();
        restarted.extendAfterRestart();

        assertThat(restarted.verify(live, false)).isInstanceOf(Accepted.class);
        assertThat(restarted.verify(dead, false)).as("dead before the stop").isInstanceOf(Refused.class);
        clock.advance(Duration.ofSeconds(10));
        assertThat(restarted.verify(live, false)).as("for the allowance only, unless rotated").isInstanceOf(Refused.class);
    }

    @Test
    void anEndedPilotsTokensAreRefused() {
        String session = tokens.issueSession(pilotId);

        tokens.revoke(pilotId);

        assertThat(reason(tokens.verify(session, false))).contains("unknown");
    }

    @Test
    void aTokenWhosePilotIsShedLivesOnPastItsLifetimeAndTheDatabaseLearnsIt() {
        String session = tokens.issueSession(pilotId);
        clock.advance(Duration.ofSeconds(10));
        assertThat(keptAlive(session)).as("three quarters of its life left: nothing to write").isEmpty();
        clock.advance(Duration.ofSeconds(15));

        var kept = keptAlive(session).orElseThrow();
        transactions.executeWithoutResult(status -> tokens.writeKeptAlive(List.of(kept)));
        assertThat(kept.expiresAtMs()).isEqualTo(clock.millis() + 40_000);
        assertThat(keptAlive(session)).as("once per half lifetime").isEmpty();
        clock.advance(Duration.ofSeconds(39));

        assertThat(tokens.verify(session, false)).as("64 s after it was issued, for a 40 s lifetime").isInstanceOf(Accepted.class);
        assertThat(fresh().verify(session, false)).as("in the database too").isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.verify(session, false)).as("a lifetime after the last shed call").isInstanceOf(Refused.class);
    }

    @Test
    void aShedCallNamesItsPilotWhileItsTokenWouldBeAcceptedEvenWhenNothingIsWritten() {
        String first = tokens.issueSession(pilotId);
        clock.advance(Duration.ofSeconds(10));

        var call = tokens.shedCall(first).orElseThrow();
        assertThat(call.pilotId()).isEqualTo(pilotId);
        assertThat(call.keptAlive()).as("three quarters of its life left: nothing to write").isEmpty();

        String second = tokens.rotate(pilotId, id(first)).orElseThrow();
        assertThat(tokens.verify(second, false)).as("the pilot shows its successor").isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(9));
        assertThat(tokens.shedCall(first)).as("replaced, within its grace").map(PilotTokens.ShedCall::pilotId).hasValue(pilotId);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.shedCall(first)).as("replaced, past its grace").isEmpty();
        assertThat(tokens.verify(first, false)).isInstanceOf(Refused.class);
        assertThat(tokens.shedCall(second)).map(PilotTokens.ShedCall::pilotId).hasValue(pilotId);
    }

    @Test
    void onlyAGoodSessionTokenIsKeptAlive() {
        String registration = Ids.newSecret();
        tokens.addRegistration(pilotId, registration);
        String expired = tokens.issueSession(pilotId);
        clock.advance(Duration.ofSeconds(40));

        assertThat(keptAlive(registration)).as("a registration token").isEmpty();
        assertThat(keptAlive(expired)).as("an expired token").isEmpty();
        assertThat(keptAlive(Ids.newSecret())).as("an unknown token").isEmpty();
        assertThat(keptAlive(null)).isEmpty();
        assertThat(keptAlive("x".repeat(500))).isEmpty();
        assertThat(tokens.verify(expired, false)).isInstanceOf(Refused.class);
    }

    @Test
    void aTokenReplacedByOneThePilotHasShownIsNotKeptAliveButOneWhoseSuccessorWasLostIs() {
        String first = tokens.issueSession(pilotId);
        assertThat(tokens.verify(first, false)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(25));
        String second = tokens.rotate(pilotId, id(first)).orElseThrow(); // the answer is lost: the pilot keeps the first

        assertThat(keptAlive(first)).as("the pilot never got its successor").isPresent();
        assertThat(tokens.verify(second, false)).as("now it has").isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(10));
        assertThat(keptAlive(first)).as("past the grace of a replaced token").isEmpty();
        assertThat(tokens.verify(first, false)).isInstanceOf(Refused.class);
    }

    @Test
    void anEndedPilotsTokenIsNotKeptAlive() {
        String session = tokens.issueSession(pilotId);
        clock.advance(Duration.ofSeconds(25));
        tokens.revoke(pilotId);

        assertThat(keptAlive(session)).isEmpty();
        assertThat(tokens.verify(session, false)).isInstanceOf(Refused.class);
    }

    private PilotTokens fresh() {
        return new PilotTokens(jdbc, batches, transactions, clock, LIFETIMES);
    }

    /** The token a shed call carrying {@code token} kept alive, if it did. */
    private Optional<PilotTokens.KeptAlive> keptAlive(String token) {
        return tokens.shedCall(token).flatMap(PilotTokens.ShedCall::keptAlive);
    }

    private static String id(String token) {
        return TokenHash.of(token);
    }

    private static String reason(PilotTokenVerifier.Verdict verdict) {
        assertThat(verdict).isInstanceOf(Refused.class);
        return ((Refused) verdict).reason();
    }
}
