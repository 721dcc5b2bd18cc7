package org.escadrille.server.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.server.ConflictException;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.account.PilotTokenVerifier;
import org.escadrille.server.overload.ShedPilotSessions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * The pilots the factory created: their tokens ({@link PilotTokens}: a registration token each, then
 * the session tokens of that one registration), their state and their last heartbeat. Verifies the
 * bearer token of every protocol call. A pilot registers once: its host and tags are fixed then.
 */
@Service
public class PilotRegistry implements PilotTokenVerifier, ShedPilotSessions, SmartInitializingSingleton, DisposableBean {
    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    /** Registrations, token rotations and heartbeat times, written together (one transaction every few ms). */
    private final GroupCommit<PilotWrite, Written> writes;
    private final PilotTokens tokens;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> lastShed = new ConcurrentHashMap<>();
    /** When each pilot's last call was last written to the database ({@link #seen}). */
    private final Map<String, Long> seenWritten = new ConcurrentHashMap<>();
    /**
     * How often, at most, a pilot's calls are written to the database: an eighth of a session token's lifetime
     * (30 s by default), well within the silence after which a pilot of a manual site is taken for gone (a whole
     * lifetime, {@link org.escadrille.server.site.SiteSupervisor}).
     */
    private final long seenWriteMs;
    /** The last count of {@link #recentlySeen}. */
    private volatile SeenCount seenCount;
    private final Map<String, Integer> slots = new ConcurrentHashMap<>();
    private final Map<String, String> backends = new ConcurrentHashMap<>();
    private final Map<String, String> hosts = new ConcurrentHashMap<>();
    /** Known to have no site too: every lease and heartbeat asks (PilotDrain), and a pilot's site never changes. */
    private final Map<String, Optional<String>> sites = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> tags = new ConcurrentHashMap<>();
    private final Map<String, Boolean> sandboxed = new ConcurrentHashMap<>();
    private final Clock clock;

    PilotRegistry(JdbcClient jdbc, JdbcTemplate batches, PlatformTransactionManager transactionManager,
                  EscadrilleProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
        var scheduling = properties.scheduling();
        var pilots = properties.pilots();
        this.seenWriteMs = pilots.sessionTokenLifetime().toMillis() / 8;
        this.writes = new GroupCommit<>("pilot-writes", this::writeAll, properties.pilotWrites().window(),
                properties.pilotWrites().maxBatch());
        this.tokens = new PilotTokens(jdbc, batches, transactions, clock, new PilotTokens.Lifetimes(
                pilots.registrationTokenLifetime(), pilots.sessionTokenLifetime(), pilots.sessionTokenGrace(),
                rotateAfter(scheduling.heartbeat(), pilots.sessionTokenLifetime()),
                // After a restart, a whole lifetime rather than the one lease a pilot needs: a loaded
                // machine can take tens of seconds from here to serving its first request.
                pilots.sessionTokenLifetime()));
    }

    /**
     * How old a session token is when a heartbeat replaces it: a quarter of its lifetime, or half a heartbeat
     * if longer. A token a heartbeat replaced every time cost a database write per heartbeat, which at 10,000
     * pilots was a thousand a second (issue 18); a quarter of the lifetime leaves three quarters of it, several
     * heartbeats, for one of them to bring the successor.
     */
    static Duration rotateAfter(Duration heartbeat, Duration sessionLifetime) {
        Duration quarter = sessionLifetime.dividedBy(4);
        Duration half = heartbeat.dividedBy(2);
        return quarter.compareTo(half) > 0 ? quarter : half;
    }

    /** Before the first pilot call: the session tokens of pilots that outlived the last server process work again. */
    @Override
    public void afterSingletonsInstantiated() {
        tokens.extendAfterRestart();
    }

    /** A new pilot's identity and its secret, to hand to the backend that starts it. */
    public record Credentials(String pilotId, String token) {
    }

    /** A pilot as operators see it. */
    public record PilotInfo(String id, String backend, String state, String host, Integer slots, long createdAtMs,
                            Long lastHeartbeatAtMs) {
    }

    /** A new pilot of no site and its registration token (good for its one registration). */
    public Credentials mint(String backend) {
        return mint(backend, null);
    }

    /** A new pilot of {@code site} and its registration token (good for its one registration). */
    public Credentials mint(String backend, String site) {
        var credentials = new Credentials(Ids.newId(), Ids.newSecret());
        sites.put(credentials.pilotId(), Optional.ofNullable(site));
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO pilots (id, backend, site, token_hash, state, created_at) VALUES (?, ?, ?, ?, 'SUBMITTED', ?)")
                    .params(credentials.pilotId(), backend, site, TokenHash.of(credentials.token()), clock.millis())
                    .update();
            tokens.addRegistration(credentials.pilotId(), credentials.token());
        });
        return credentials;
    }

    @Override
    public Verdict verify(String token, boolean registering) {
        return tokens.verify(token, registering);
    }

    /**
     * A call of a pilot was shed: its session token lives on (see {@link PilotTokens#shedCall}), and the
     * database learns it with the next batch of writes, which nobody waits for; and the time is noted, so that
     * its leases outlive the heartbeats the server turned away ({@link #lastShedMs}) and it counts as heard from
     * ({@link #aliveOf}, {@link #recentlySeen}), in memory only.
     */
    @Override
    public void shed(String bearerToken) {
        tokens.shedCall(bearerToken).ifPresent(call -> {
            long now = clock.millis();
            lastShed.put(call.pilotId(), now);
            // Heard from, if not served: a manual site's supervisor must not take a pilot the server sheds for gone.
            lastSeen.put(call.pilotId(), now);
            call.keptAlive().ifPresent(kept -> writes.submit(new PilotWrite.KeepAlive(kept)));
        });
    }

    /**
     * When a call of this pilot, with a session token good at the time, was last shed (milliseconds since the
     * epoch), or {@link Long#MIN_VALUE} if none was since the server started: the pilot was alive then, whatever
     * the server did not hear of it. In memory only.
     */
    long lastShedMs(String pilotId) {
        Long at = lastShed.get(pilotId);
        return at == null ? Long.MIN_VALUE : at;
    }

    /**
     * Registers a pilot, spending the registration token {@code tokenId}; answers its first session
     * token. A token spent meanwhile, or a pilot no longer waiting for its registration, is a conflict.
     * Written with the other registrations and heartbeats of the same few milliseconds (a failed batch
     * is a {@link org.escadrille.server.ServiceBusyException}, 503).
     */
    String register(String pilotId, String tokenId, PilotRegistration registration) {
        var written = writes.write(new PilotWrite.Register(pilotId, tokenId, registration));
        if (written.unauthorized()) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, written.refusal());
        }
        if (written.refusal() != null) {
            throw new ConflictException(written.refusal());
        }
        return written.sessionToken();
    }

    /** The processor the pilot named, trimmed to its column; what a pilot says of itself is only ever shown and looked up. */
    private static String cpuModel(PilotRegistration registration) {
        String model = registration.cpuModel();
        if (model == null || model.isBlank()) {
            return null;
        }
        model = model.strip();
        return model.length() > 200 ? model.substring(0, 200) : model;
    }

    /**
     * A fresh session token for a heartbeat or lease that showed {@code tokenId}, or empty when the pilot's is fresh
     * enough; the newest again, without a write, while its reply may still be on its way
     * ({@link PilotTokens#rotate(String, String, java.util.function.Supplier)}).
     */
    Optional<String> rotate(String pilotId, String tokenId) {
        return tokens.rotate(pilotId, tokenId, () -> writes.write(new PilotWrite.Rotate(pilotId)).sessionToken());
    }

    /** What {@link #writes} writes. */
    private sealed interface PilotWrite {
        record Register(String pilotId, String tokenId, PilotRegistration registration) implements PilotWrite {
        }

        record Rotate(String pilotId) implements PilotWrite {
        }

        record Seen(String pilotId, long atMs) implements PilotWrite {
        }

        record KeepAlive(PilotTokens.KeptAlive kept) implements PilotWrite {
        }
    }

    /**
     * What became of a write: a session token (registrations, rotations), or why a registration was refused
     * ({@code unauthorized}: its token is spent, else the pilot is not waiting for its registration).
     */
    private record Written(String sessionToken, String refusal, boolean unauthorized) {
        static final Written NOTHING = new Written(null, null, false);

        Written(String sessionToken) {
            this(sessionToken, null, false);
        }

        static Written refused(String why) {
            return new Written(null, why, false);
        }

        static Written unauthorized(String why) {
            return new Written(null, why, true);
        }
    }

    /**
     * What a registration sent again must repeat of the one that registered its pilot. Boxed: a pilot that
     * ends meanwhile leaves the registry's maps, and its claim is then all nulls (unequal to any registration).
     */
    private record Claim(String host, Integer slots, Set<String> tags, Boolean sandboxed) {
        static Claim of(PilotRegistration registration) {
            return new Claim(registration.host(), registration.slots(), Set.copyOf(registration.tags()), registration.sandboxed());
        }
    }

    /**
     * What a registration of {@code pilotId} sent again must repeat: the registration of the same batch that
     * registered it, else what the registry holds while the pilot has made no call; null when neither.
     */
    private Claim firstClaim(String pilotId, Map<String, Claim> registeredHere) {
        Claim here = registeredHere.get(pilotId);
        if (here != null || !tokens.awaitingFirstCall(pilotId)) {
            return here;
        }
        return new Claim(hosts.get(pilotId), slots.get(pilotId), tags.get(pilotId), sandboxed.get(pilotId));
    }

    /**
     * One batch of writes in one transaction, in JDBC batches: the tokens of shed pilots kept alive, registrations (tokens spent, pilots updated,
     * tokens given back for those refused), then a session token per registered or rotating pilot, then
     * the heartbeat times. Answers each write's outcome, in order.
     */
    private List<Written> writeAll(List<PilotWrite> batch) {
        long now = clock.millis();
        var outcomes = new Written[batch.size()];
        var registered = new ArrayList<PilotWrite.Register>();
        transactions.executeWithoutResult(status -> {
            var registrations = new ArrayList<Integer>();
            var sessionFor = new LinkedHashMap<String, List<Integer>>();
            var seen = new HashMap<String, Long>();
            var keptAlive = new ArrayList<PilotTokens.KeptAlive>();
            for (int i = 0; i < batch.size(); i++) {
                switch (batch.get(i)) {
                    case PilotWrite.Register r -> registrations.add(i);
                    case PilotWrite.Rotate r -> sessionFor.computeIfAbsent(r.pilotId(), id -> new ArrayList<>()).add(i);
                    case PilotWrite.Seen s -> seen.merge(s.pilotId(), s.atMs(), Math::max);
                    case PilotWrite.KeepAlive k -> keptAlive.add(k.kept());
                }
            }
            // First: a rotation of this batch gives the tokens it replaces their grace after this.
            tokens.writeKeptAlive(keptAlive);
            if (!registrations.isEmpty()) {
                var spent = tokens.spendAll(registrations.stream().map(i -> ((PilotWrite.Register) batch.get(i)).tokenId()).toList());
                var candidates = new ArrayList<Integer>();
                var spentBefore = new ArrayList<Integer>();
                for (int k = 0; k < spent.length; k++) {
                    (spent[k] ? candidates : spentBefore).add(registrations.get(k));
                }
                var rows = candidates.stream().map(i -> {
                    var r = (PilotWrite.Register) batch.get(i);
                    return new Object[] {r.registration().host(), r.registration().slots(), String.join(",", r.registration().tags()),
                            r.registration().sandboxed(), cpuModel(r.registration()), now, now, r.pilotId()};
                }).toList();
                var updated = PilotTokens.updated(batches.batchUpdate("UPDATE pilots SET state = 'RUNNING', host = ?, slots = ?, tags = ?,"
                        + " sandboxed = ?, cpu_model = ?, registered_at = ?, last_heartbeat_at = ? WHERE id = ? AND state = 'SUBMITTED'", rows));
                var giveBack = new ArrayList<String>();
                for (int k = 0; k < updated.length; k++) {
                    int i = candidates.get(k);
                    var r = (PilotWrite.Register) batch.get(i);
                    if (updated[k]) {
                        // Before the commit: a retry that reads the token spent must find the pilot awaiting its first
                        // call. A batch that then fails leaves the mark on a pilot whose token is not spent: no effect.
                        tokens.registered(r.pilotId());
                        registered.add(r);
                        sessionFor.computeIfAbsent(r.pilotId(), id -> new ArrayList<>()).add(i);
                    } else {
                        giveBack.add(r.tokenId());
                        outcomes[i] = Written.refused("pilot " + r.pilotId()
                                + " is not waiting for its registration (it has registered or ended)");
                    }
                }
                tokens.unspend(giveBack);
                var registeredHere = registered.stream().collect(Collectors.toMap(PilotWrite.Register::pilotId, r -> Claim.of(r.registration())));
                for (int i : spentBefore) {
                    var r = (PilotWrite.Register) batch.get(i);
                    if (Claim.of(r.registration()).equals(firstClaim(r.pilotId(), registeredHere))) {
                        // Sent again: the answer to its registration was lost (a time-out under load), and the
                        // pilot has made no call since. It gets a session token again (the same as a registration
                        // of this batch), or it would be refused with 401 and lost.
                        sessionFor.computeIfAbsent(r.pilotId(), id -> new ArrayList<>()).add(i);
                    } else {
                        outcomes[i] = Written.unauthorized(PilotTokens.spentRefusal(r.pilotId()));
                    }
                }
            }
            var pilotIds = List.copyOf(sessionFor.keySet());
            var issued = tokens.issueSessions(pilotIds);
            for (int k = 0; k < pilotIds.size(); k++) {
                // A pilot's heartbeats of the same batch share its new token.
                for (int i : sessionFor.get(pilotIds.get(k))) {
                    outcomes[i] = new Written(issued.get(k));
                }
            }
            if (!seen.isEmpty()) {
                batches.batchUpdate("UPDATE pilots SET last_heartbeat_at = ? WHERE id = ?",
                        seen.entrySet().stream().map(e -> new Object[] {e.getValue(), e.getKey()}).toList());
            }
        });
        for (var r : registered) {
            tags.put(r.pilotId(), Set.copyOf(r.registration().tags()));
            sandboxed.put(r.pilotId(), r.registration().sandboxed());
            lastSeen.put(r.pilotId(), now);
            seenWritten.put(r.pilotId(), now);
            slots.put(r.pilotId(), r.registration().slots());
            hosts.put(r.pilotId(), r.registration().host());
        }
        return Arrays.stream(outcomes).map(outcome -> outcome == null ? Written.NOTHING : outcome).toList();
    }

    /** Stops the batch writer: writes that arrive from now on are refused as busy. */
    @Override
    public void destroy() {
        writes.close();
    }

    /**
     * How many pilots were heard from within {@code withinMs}. It walks every pilot, so it counts again at most
     * once a second and answers the last count meanwhile (it is asked at every lease request turned away).
     */
    public int recentlySeen(long withinMs) {
        long now = clock.millis();
        var last = seenCount;
        if (last != null && last.withinMs() == withinMs && now - last.atMs() < 1_000) {
            return last.count();
        }
        long since = now - withinMs;
        int count = (int) lastSeen.values().stream().filter(at -> at >= since).count();
        seenCount = new SeenCount(withinMs, now, count);
        return count;
    }

    private record SeenCount(long withinMs, long atMs, int count) {
    }

    /** Task slots of the pilots heard from within {@code withinMs}: the capacity work can spread over now. */
    public int liveSlots(long withinMs) {
        long since = clock.millis() - withinMs;
        return lastSeen.entrySet().stream().filter(e -> e.getValue() >= since)
                .mapToInt(e -> slots.getOrDefault(e.getKey(), 0)).sum();
    }

    /**
     * Notes a call of the pilot; the database learns it at most once per {@link #seenWriteMs}, with the next batch
     * of writes, and nobody waits for it. What reads it ({@link #aliveOf}, {@link #recent}) sees the time in
     * memory when that is later. Before, a write came only after a call more than 5 s after the one before: a
     * pilot that called more often (a Monte-Carlo task heartbeats four times a second) was never written again
     * after its registration, and a pilot of a manual site was taken for gone a token's lifetime later however
     * often it called; at 10,000 pilots, whose calls the shedding spread out, nearly every call was a write
     * (bench/README.md, "Scale").
     */
    void seen(String pilotId) {
        long now = clock.millis();
        lastSeen.put(pilotId, now);
        Long written = seenWritten.get(pilotId);
        if (written != null && now - written < seenWriteMs) {
            return;
        }
        // One call per period writes: the one that moved the time written.
        if (written == null ? seenWritten.putIfAbsent(pilotId, now) == null : seenWritten.replace(pilotId, written, now)) {
            writes.submit(new PilotWrite.Seen(pilotId, now));
        }
    }

    /** The later of the time the database holds and the one in memory (written at most every {@link #seenWriteMs}). */
    private Long lastHeardMs(String pilotId, Long stored) {
        Long inMemory = lastSeen.get(pilotId);
        return inMemory == null ? stored : stored == null ? inMemory : Long.valueOf(Math.max(stored, inMemory));
    }

    /** Marks a pilot found to be a black hole, for operators (admin page, metrics). */
    void blackHole(String pilotId) {
        jdbc.sql("UPDATE pilots SET state = 'BLACKHOLE' WHERE id = ? AND state <> 'ENDED'").param(pilotId).update();
    }

    public void ended(String pilotId) {
        // A black hole stays reported as one after it leaves.
        jdbc.sql("UPDATE pilots SET state = CASE WHEN state = 'BLACKHOLE' THEN state ELSE 'ENDED' END, ended_at = ? "
                        + "WHERE id = ? AND state <> 'ENDED' AND ended_at IS NULL")
                .params(clock.millis(), pilotId)
                .update();
        tokens.revoke(pilotId);
        lastSeen.remove(pilotId);
        lastShed.remove(pilotId);
        seenWritten.remove(pilotId);
        slots.remove(pilotId);
        hosts.remove(pilotId);
        sites.remove(pilotId);
        tags.remove(pilotId);
        sandboxed.remove(pilotId);
    }

    public Optional<String> backendOf(String pilotId) {
        String known = backends.get(pilotId);
        if (known != null) {
            return Optional.of(known);
        }
        var backend = jdbc.sql("SELECT backend FROM pilots WHERE id = ?").param(pilotId).query(String.class).optional();
        backend.ifPresent(b -> backends.put(pilotId, b));
        return backend;
    }

    /** The tags the pilot registered with (also after a server restart, from the database). */
    public Set<String> tagsOf(String pilotId) {
        return tags.computeIfAbsent(pilotId, id -> jdbc.sql("SELECT tags FROM pilots WHERE id = ?").param(id)
                .query(String.class).optional()
                .map(joined -> joined.isBlank() ? Set.<String>of() : Set.of(joined.split(",")))
                .orElse(Set.of()));
    }

    /** Whether the pilot said it runs its tasks in a sandbox (also after a server restart, from the database). */
    public boolean sandboxed(String pilotId) {
        return sandboxed.computeIfAbsent(pilotId, id -> jdbc.sql("SELECT sandboxed FROM pilots WHERE id = ?").param(id)
                .query(Boolean.class).optional().orElse(false));
    }

    public Optional<String> hostOf(String pilotId) {
        String host = hosts.get(pilotId);
        if (host != null) {
            return Optional.of(host);
        }
        var stored = jdbc.sql("SELECT host FROM pilots WHERE id = ?").param(pilotId).query(String.class).optional();
        stored.ifPresent(h -> hosts.put(pilotId, h));
        return stored;
    }

    /** The site a pilot belongs to (empty for pilots of no site). */
    public Optional<String> siteOf(String pilotId) {
        return sites.computeIfAbsent(pilotId, id -> jdbc.sql("SELECT site FROM pilots WHERE id = ?").param(id)
                .query(String.class).optional());
    }

    /** The pilots of a site that have not ended (submitted, running or black holes), oldest first. */
    public List<PilotInfo> aliveOf(String site) {
        return jdbc.sql("""
                        SELECT id, backend, state, host, slots, created_at, last_heartbeat_at FROM pilots
                        WHERE site = ? AND ended_at IS NULL ORDER BY created_at""")
                .param(site)
                .query((rs, n) -> new PilotInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Integer) rs.getObject(5), rs.getLong(6), lastHeardMs(rs.getString(1), (Long) rs.getObject(7))))
                .list();
    }

    public List<PilotInfo> recent(int limit) {
        return jdbc.sql("""
                        SELECT id, backend, state, host, slots, created_at, last_heartbeat_at FROM pilots
                        ORDER BY created_at DESC LIMIT ?""")
                .param(limit)
                .query((rs, n) -> new PilotInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Integer) rs.getObject(5), rs.getLong(6), lastHeardMs(rs.getString(1), (Long) rs.getObject(7))))
                .list();
    }

    /** How many slots each of these pilots registered with; a pilot that never registered is left out. */
    public Map<String, Integer> slotsOf(Collection<String> pilotIds) {
        var found = new HashMap<String, Integer>();
        var missing = new ArrayList<String>();
        for (String id : new HashSet<>(pilotIds)) {
            Integer known = slots.get(id);
            if (known != null) {
                found.put(id, known);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            // Pilots that ended are no longer held in memory; their executions' pages still draw them.
            jdbc.sql("SELECT id, slots FROM pilots WHERE slots IS NOT NULL AND id IN (:ids)")
                    .param("ids", missing)
                    .query(rs -> {
                        found.put(rs.getString(1), rs.getInt(2));
                    });
        }
        return found;
    }
}
