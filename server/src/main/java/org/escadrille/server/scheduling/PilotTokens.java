package org.escadrille.server.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.escadrille.server.Ids;
import org.escadrille.server.account.PilotTokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pilots' credentials (table {@code pilot_tokens}, SHA-256 hashes with their expiry). A pilot starts
 * with a registration token, good for its one registration and nothing else; the registration answers
 * a session token, which each heartbeat replaces by a fresh one (rotation), the replaced one working
 * on for a grace (requests in flight) from the moment the pilot first shows the fresh one: until then
 * the heartbeat's answer may have been lost (a time-out under load), and the pilot, which never got the
 * fresh token, goes on with the one before until its own lifetime ends. A session token that no
 * heartbeat replaced dies at the end of its lifetime. The database is the truth; what is in memory is a
 * cache of it for the hot path, and the stricter of the two while the server runs: the database learns
 * that a fresh token was shown at the pilot's next rotation.
 */
final class PilotTokens {
    private static final Logger log = LoggerFactory.getLogger(PilotTokens.class);
    private static final int MAX_TOKEN_LENGTH = 200;

    /** Which of a pilot's tokens. */
    enum Kind { REGISTRATION, SESSION }

    /**
     * @param registration how long a registration token stays good unused
     * @param session      how long a session token lives unless a heartbeat replaces it
     * @param grace        how long a replaced session token still works once the pilot has shown the fresh one
     * @param rotateAfter  a heartbeat sooner than this after the newest token was handed out gets none
     *                     (Monte-Carlo tasks heartbeat several times a second: a database write each
     *                     would be for nothing)
     * @param afterRestart how long, at least, the session tokens alive when the server stopped work
     *                     after it starts again: their pilots outlived it and must reach a heartbeat
     */
    record Lifetimes(Duration registration, Duration session, Duration grace, Duration rotateAfter,
                     Duration afterRestart) {
    }

    private record Token(String pilotId, Kind kind, long expiresAtMs, boolean spent) {
    }

    /**
     * A pilot's newest session token: the ones before it work until {@code shownAtMs} (when the pilot
     * first showed it; {@link #NOT_SHOWN} before) plus the grace. {@code token} is the token itself until
     * the pilot shows it (null after, and for one the server did not issue in this process): what a call that
     * shows an older one meanwhile gets again ({@link #rotate}).
     */
    private record Newest(String hash, long issuedAtMs, String previous, long shownAtMs, String token) {
        boolean shown() {
            return shownAtMs != NOT_SHOWN;
        }

        /** Without the token: a credential never goes to a log or a debugger's view by way of this record. */
        @Override
        public String toString() {
            return "Newest[" + hash + ", issued at " + issuedAtMs + (shown() ? ", shown at " + shownAtMs : ", not shown") + "]";
        }
    }

    private static final long NOT_SHOWN = Long.MIN_VALUE;

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Lifetimes lifetimes;
    private final Map<String, Token> byHash = new ConcurrentHashMap<>();
    private final Map<String, Newest> newest = new ConcurrentHashMap<>();
    /**
     * Pilots registered by this server process that have made no call with a session token since: one of them
     * that sends its registration again lost the answer (a time-out under load) and gets a session again.
     */
    private final Set<String> awaitingFirstCall = ConcurrentHashMap.newKeySet();

    PilotTokens(JdbcClient jdbc, JdbcTemplate batches, TransactionTemplate transactions, Clock clock, Lifetimes lifetimes) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.clock = clock;
        this.lifetimes = lifetimes;
    }

    /** Stores {@code token} (random, from {@link Ids#newSecret()}) as the registration token of a pilot just inserted. */
    void addRegistration(String pilotId, String token) {
        long now = clock.millis();
        long expires = now + lifetimes.registration().toMillis();
        String hash = TokenHash.of(token);
        jdbc.sql("INSERT INTO pilot_tokens (token_hash, pilot_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                .params(hash, pilotId, Kind.REGISTRATION.name(), now, expires)
                .update();
        byHash.put(hash, new Token(pilotId, Kind.REGISTRATION, expires, false));
    }

    PilotTokenVerifier.Verdict verify(String token, boolean registering) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return refused("unknown pilot token");
        }
        String hash = TokenHash.of(token);
        Token known = byHash.get(hash);
        if (known == null) {
            known = load(hash);
            if (known == null) {
                return refused("unknown pilot token (the tokens of a pilot that has ended are forgotten)");
            }
        }
        long now = clock.millis();
        if (known.kind() == Kind.REGISTRATION) {
            if (!registering) {
                return refused(known.spent()
                        ? "a registration token is good for the registration only, and this one is spent:"
                                + " send the session token its registration answered"
                        : "register first (POST /api/pilot/v1/register): a registration token is good for that call only");
            }
            if (known.spent() && !awaitingFirstCall.contains(known.pilotId())) {
                return refused(spentRefusal(known.pilotId()));
            }
            if (now >= known.expiresAtMs()) {
                return refused("this registration token expired unused at " + Instant.ofEpochMilli(known.expiresAtMs())
                        + ": start the pilot with a new one");
            }
            return new PilotTokenVerifier.Accepted(known.pilotId(), hash);
        }
        if (registering) {
            return refused("pilot " + known.pilotId() + " is registered already, and a pilot's host and tags are"
                    + " fixed at its registration: a session token cannot register; a pilot that must register"
                    + " anew needs a new registration token");
        }
        Newest current = newest.get(known.pilotId());
        if (current != null && current.hash().equals(hash) && !current.shown()) {
            newest.replace(known.pilotId(), current, new Newest(current.hash(), current.issuedAtMs(), current.previous(), now, null));
        }
        long expires = goodUntil(known, hash, current);
        if (now >= expires) {
            byHash.remove(hash);
            return refused("this session token expired at " + Instant.ofEpochMilli(expires) + " (a heartbeat brings a"
                    + " fresh one; a pilot that went without for " + lifetimes.session().toSeconds() + " s cannot"
                    + " recover and must be started again with a new registration token)");
        }
        awaitingFirstCall.remove(known.pilotId());
        return new PilotTokenVerifier.Accepted(known.pilotId(), hash);
    }

    /**
     * A token kept alive while the server sheds its pilot's calls: {@code hash} lives until {@code expiresAtMs}.
     * The database learns it with the next pilot writes ({@link #writeKeptAlive}).
     */
    record KeptAlive(String hash, long expiresAtMs) {
    }

    /**
     * What a shed call carried: the pilot whose session token it was (one that would be accepted now), and that
     * token kept alive, if it was (to write with {@link #writeKeptAlive}).
     */
    record ShedCall(String pilotId, Optional<KeptAlive> keptAlive) {
    }

    /**
     * A call of the pilot that holds {@code token} was shed (503 and {@code Retry-After}): the server turns its
     * heartbeats away, so it cannot hand it the fresh token a heartbeat brings, and a pilot shed for longer
     * than a token's lifetime would be locked out (a 401, and it must be started again) for the server's
     * own overload. Its token lives on instead, as a heartbeat would have made it: a session token still good
     * (and not one replaced by a token the pilot has shown since) that is past half its lifetime gets a whole
     * lifetime from now, so a pilot shed without end causes at most one write every half lifetime. This runs
     * on the shedding path, so it reads only what is in memory (a hash and a map): a token the cache does not
     * hold (the server has restarted since the pilot's last admitted call) is left to the lifetime it was
     * given at the start, and its call names no pilot. Empty when the token would not be accepted now.
     */
    Optional<ShedCall> shedCall(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String hash = TokenHash.of(token);
        Token known = byHash.get(hash);
        if (known == null || known.kind() != Kind.SESSION) {
            return Optional.empty();
        }
        long now = clock.millis();
        Newest current = newest.get(known.pilotId());
        if (now >= goodUntil(known, hash, current)) {
            return Optional.empty();
        }
        long lifetime = lifetimes.session().toMillis();
        if (replaced(hash, current) || known.expiresAtMs() - now > lifetime / 2) {
            return Optional.of(new ShedCall(known.pilotId(), Optional.empty()));
        }
        long expires = now + lifetime;
        // Only the entry seen: one that changed meanwhile (revoked, rotated, loaded) is left as it became.
        boolean kept = byHash.replace(hash, known, new Token(known.pilotId(), Kind.SESSION, expires, false));
        return Optional.of(new ShedCall(known.pilotId(), kept ? Optional.of(new KeptAlive(hash, expires)) : Optional.empty()));
    }

    /** Whether the session token {@code hash} was replaced by its pilot's {@code current} newest, which the pilot has shown. */
    private static boolean replaced(String hash, Newest current) {
        return current != null && !current.hash().equals(hash) && current.shown();
    }

    /**
     * Until when a known session token is accepted: its own lifetime, or, once the pilot has shown a successor, the
     * grace from then if that ends first.
     */
    private long goodUntil(Token known, String hash, Newest current) {
        return replaced(hash, current) ? Math.min(known.expiresAtMs(), current.shownAtMs() + lifetimes.grace().toMillis())
                : known.expiresAtMs();
    }

    /**
     * Writes the tokens {@link #shedCall} kept alive, in one JDBC batch of the caller's transaction, before any token
     * of the same batch of writes is issued: a token replaced since keeps the grace its replacement gives it.
     * A token deleted meanwhile (its pilot ended) stays deleted.
     */
    void writeKeptAlive(List<KeptAlive> kept) {
        if (!kept.isEmpty()) {
            long now = clock.millis();
            batches.batchUpdate("UPDATE pilot_tokens SET expires_at = ? WHERE token_hash = ? AND kind = ? AND expires_at > ? AND expires_at < ?",
                    kept.stream().map(k -> new Object[] {k.expiresAtMs(), k.hash(), Kind.SESSION.name(), now, k.expiresAtMs()}).toList());
        }
    }

    /**
     * Spends a registration token (within the caller's transaction); false if it was spent or expired
     * meanwhile. It leaves the cache, which learns its new state from the database when it is next shown.
     */
    boolean spend(String hash) {
        return spendAll(List.of(hash))[0];
    }

    /** Spends registration tokens, as {@link #spend} each, in one JDBC batch; whether each was spent, in order. */
    boolean[] spendAll(List<String> hashes) {
        long now = clock.millis();
        hashes.forEach(byHash::remove);
        int[] counts = batches.batchUpdate(
                "UPDATE pilot_tokens SET used_at = ? WHERE token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?",
                hashes.stream().map(hash -> new Object[] {now, hash, Kind.REGISTRATION.name(), now}).toList());
        return updated(counts);
    }

    /** Why a registration with the spent registration token of {@code pilotId} is refused. */
    static String spentRefusal(String pilotId) {
        return "this registration token has been used already (by pilot " + pilotId
                + "): a registration token is good for one registration";
    }

    /**
     * {@code pilotId} has just registered: until it calls with a session token, its registration token, though
     * spent, registers it again ({@link #verify}, {@link #awaitingFirstCall}). Only in memory: after a restart
     * such a pilot is refused, as every spent token is.
     */
    void registered(String pilotId) {
        awaitingFirstCall.add(pilotId);
    }

    /** Whether {@code pilotId} registered and has made no call with a session token since (see {@link #registered}). */
    boolean awaitingFirstCall(String pilotId) {
        return awaitingFirstCall.contains(pilotId);
    }

    /** Gives back registration tokens spent in this transaction for registrations that were refused after all. */
    void unspend(List<String> hashes) {
        if (!hashes.isEmpty()) {
            batches.batchUpdate("UPDATE pilot_tokens SET used_at = NULL WHERE token_hash = ? AND kind = ?",
                    hashes.stream().map(hash -> new Object[] {hash, Kind.REGISTRATION.name()}).toList());
        }
    }

    /** Whether a heartbeat that showed {@code presentedHash} gets a fresh session token (see {@link #rotate(String, String, Supplier)}). */
    private boolean rotates(String pilotId, String presentedHash) {
        Newest current = newest.get(pilotId);
        return current == null || !current.hash().equals(presentedHash)
                || clock.millis() - current.issuedAtMs() >= lifetimes.rotateAfter().toMillis();
    }

    /**
     * A fresh session token for a heartbeat of the pilot that showed {@code presentedHash}, or empty when
     * that is its newest token and was handed out less than {@code rotateAfter} ago. A call that shows an older
     * token while the newest is on its way ({@link #onItsWay}) gets that one again.
     */
    Optional<String> rotate(String pilotId, String presentedHash) {
        return rotate(pilotId, presentedHash, () -> issueSession(pilotId));
    }

    /**
     * As {@link #rotate(String, String)}, a fresh token taken from {@code issue} (the registry's batched writes):
     * the one rule of which token a heartbeat or lease reply carries.
     */
    Optional<String> rotate(String pilotId, String presentedHash, Supplier<String> issue) {
        return rotates(pilotId, presentedHash) ? Optional.of(onItsWay(pilotId, presentedHash).orElseGet(issue)) : Optional.empty();
    }

    /**
     * The pilot's newest session token if a call that showed {@code presentedHash}, an older one, is to get it
     * again rather than a new one: the pilot has not shown it yet and it was handed out less than
     * {@code rotateAfter} ago, so the reply that carries it may still be on its way. A lease reply carries the
     * token taken when the request arrived, up to a long poll later; a heartbeat meanwhile got a newer one, which
     * the pilot showed, and then the lease reply gave the pilot back the older, replaced token: once its grace was
     * over, calls the server shed could not replace it, and the pilot was refused 401 (bench/README.md, "Scale").
     * Both replies now carry the same token. Empty otherwise (then a new one is issued, as before).
     */
    private Optional<String> onItsWay(String pilotId, String presentedHash) {
        Newest current = newest.get(pilotId);
        if (current == null || current.token() == null || current.shown() || current.hash().equals(presentedHash)
                || clock.millis() - current.issuedAtMs() >= lifetimes.rotateAfter().toMillis()) {
            return Optional.empty();
        }
        return Optional.of(current.token());
    }

    /**
     * A new session token for the pilot; its older ones work on for the grace only, and those expired
     * are deleted. One transaction (the caller's, if any).
     */
    String issueSession(String pilotId) {
        return issueSessions(List.of(pilotId)).get(0);
    }

    /**
     * New session tokens for these pilots (each at most once), as {@link #issueSession} each, in JDBC batches
     * of one transaction (the caller's, if any); the cache learns them once it is committed.
     */
    List<String> issueSessions(List<String> pilotIds) {
        long now = clock.millis();
        long expires = now + lifetimes.session().toMillis();
        long graceEnd = now + lifetimes.grace().toMillis();
        var tokens = new ArrayList<String>(pilotIds.size());
        var inserts = new ArrayList<Object[]>(pilotIds.size());
        var graces = new ArrayList<Object[]>(pilotIds.size());
        var deletes = new ArrayList<Object[]>(pilotIds.size());
        var hashes = new ArrayList<String>(pilotIds.size());
        for (String pilotId : pilotIds) {
            String token = Ids.newSecret();
            String hash = TokenHash.of(token);
            tokens.add(token);
            hashes.add(hash);
            inserts.add(new Object[] {hash, pilotId, Kind.SESSION.name(), now, expires});
            Newest before = newest.get(pilotId);
            if (before == null || before.shown()) {
                // The pilot has the token before this one (or the server, just started, cannot tell): the
                // older ones get the grace. Else they keep their lifetime until the pilot shows a newer one.
                graces.add(new Object[] {graceEnd, pilotId, Kind.SESSION.name(), hash, graceEnd});
            }
            deletes.add(new Object[] {pilotId, Kind.SESSION.name(), now});
        }
        transactions.executeWithoutResult(status -> {
            batches.batchUpdate("INSERT INTO pilot_tokens (token_hash, pilot_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                    inserts);
            if (!graces.isEmpty()) {
                batches.batchUpdate("UPDATE pilot_tokens SET expires_at = ? WHERE pilot_id = ? AND kind = ? AND token_hash <> ? AND expires_at > ?",
                        graces);
            }
            batches.batchUpdate("DELETE FROM pilot_tokens WHERE pilot_id = ? AND kind = ? AND expires_at <= ?", deletes);
            Runnable remember = () -> {
                for (int i = 0; i < pilotIds.size(); i++) {
                    remember(pilotIds.get(i), tokens.get(i), hashes.get(i), now, expires);
                }
            };
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        remember.run();
                    }
                });
            } else {
                remember.run();
            }
        });
        return tokens;
    }

    private void remember(String pilotId, String token, String hash, long issuedAtMs, long expiresAtMs) {
        byHash.put(hash, new Token(pilotId, Kind.SESSION, expiresAtMs, false));
        Newest before = newest.get(pilotId);
        newest.put(pilotId, new Newest(hash, issuedAtMs, before == null ? null : before.hash(), NOT_SHOWN, token));
        if (before != null && before.previous() != null && before.shown()) {
            // Two rotations old: if it is still within its grace, the database answers for it. Not when the
            // pilot never showed the token after it: the pilot may still hold this one, which the cache keeps
            // at its lifetime (the database may have given it only the grace) until the pilot ends.
            byHash.remove(before.previous());
        }
    }

    /**
     * Whether each row of a JDBC batch was updated. A driver that does not count the rows of a batch
     * cannot tell a spent token from a good one: the batch fails rather than guess.
     */
    static boolean[] updated(int[] counts) {
        var updated = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalStateException("the database driver did not count the rows of a batched update");
            }
            updated[i] = counts[i] == 1;
        }
        return updated;
    }

    /** The pilot has ended: its session tokens go, its registration token can no longer register. */
    void revoke(String pilotId) {
        awaitingFirstCall.remove(pilotId);
        long now = clock.millis();
        jdbc.sql("DELETE FROM pilot_tokens WHERE pilot_id = ? AND kind = ?").params(pilotId, Kind.SESSION.name()).update();
        jdbc.sql("UPDATE pilot_tokens SET expires_at = ? WHERE pilot_id = ? AND expires_at > ?").params(now, pilotId, now).update();
        newest.remove(pilotId);
        byHash.values().removeIf(token -> token.pilotId().equals(pilotId));
    }

    /**
     * At start: the session tokens that were alive when the server last handed one out (so, as far as
     * it can tell, when it stopped) work for at least {@code afterRestart} from now. Their pilots kept
     * their attempts running while the server was away, however long, and need a heartbeat to get a
     * fresh token; tokens that had died before are left dead.
     */
    void extendAfterRestart() {
        Long lastIssued = jdbc.sql("SELECT MAX(created_at) FROM pilot_tokens WHERE kind = ?")
                .param(Kind.SESSION.name()).query(Long.class).optional().orElse(null);
        if (lastIssued == null) {
            return;
        }
        long until = clock.millis() + lifetimes.afterRestart().toMillis();
        int extended = jdbc.sql("UPDATE pilot_tokens SET expires_at = ? WHERE kind = ? AND expires_at >= ? AND expires_at < ?")
                .params(until, Kind.SESSION.name(), lastIssued, until)
                .update();
        if (extended > 0) {
            log.info("{} pilot session token(s) alive at the last stop extended until {}", extended, Instant.ofEpochMilli(until));
        }
    }

    private Token load(String hash) {
        return jdbc.sql("SELECT pilot_id, kind, expires_at, used_at FROM pilot_tokens WHERE token_hash = ?")
                .param(hash)
                .query((rs, n) -> new Token(rs.getString(1), Kind.valueOf(rs.getString(2)), rs.getLong(3),
                        rs.getObject(4) != null))
                .optional()
                .map(token -> {
                    byHash.put(hash, token);
                    return token;
                })
                .orElse(null);
    }

    private static PilotTokenVerifier.Refused refused(String reason) {
        return new PilotTokenVerifier.Refused(reason);
    }
}
