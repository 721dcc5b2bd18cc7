package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.server.Ids;
import org.escadrille.server.account.PilotTokenVerifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The pilots the factory created: their tokens (stored hashed; each scoped to one pilot), their
 * state and their last heartbeat. Verifies the bearer token of every protocol call.
 */
@Service
public class PilotRegistry implements PilotTokenVerifier {
    private final JdbcClient jdbc;
    private final Map<String, String> pilotByTokenHash = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Integer> slots = new ConcurrentHashMap<>();
    private final Map<String, String> backends = new ConcurrentHashMap<>();
    private final Map<String, String> hosts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> tags = new ConcurrentHashMap<>();
    private final Map<String, Boolean> sandboxed = new ConcurrentHashMap<>();

    PilotRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A new pilot's identity and its secret, to hand to the backend that starts it. */
    public record Credentials(String pilotId, String token) {
    }

    /** A pilot as operators see it. */
    public record PilotInfo(String id, String backend, String state, String host, Integer slots, long createdAtMs,
                            Long lastHeartbeatAtMs) {
    }

    public Credentials mint(String backend) {
        var credentials = new Credentials(Ids.newId(), Ids.newSecret());
        String hash = TokenHash.of(credentials.token());
        jdbc.sql("INSERT INTO pilots (id, backend, token_hash, state, created_at) VALUES (?, ?, ?, 'SUBMITTED', ?)")
                .params(credentials.pilotId(), backend, hash, System.currentTimeMillis())
                .update();
        pilotByTokenHash.put(hash, credentials.pilotId());
        return credentials;
    }

    @Override
    public Optional<String> verify(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        String hash = TokenHash.of(token);
        String cached = pilotByTokenHash.get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> pilot = jdbc.sql("SELECT id FROM pilots WHERE token_hash = ? AND state <> 'ENDED'")
                .param(hash).query(String.class).optional();
        pilot.ifPresent(id -> pilotByTokenHash.put(hash, id));
        return pilot;
    }

    void registered(String pilotId, PilotRegistration registration) {
        long now = System.currentTimeMillis();
        jdbc.sql("UPDATE pilots SET state = 'RUNNING', host = ?, slots = ?, tags = ?, sandboxed = ?, registered_at = ?, "
                        + "last_heartbeat_at = ? WHERE id = ?")
                .params(registration.host(), registration.slots(), String.join(",", registration.tags()),
                        registration.sandboxed(), now, now, pilotId)
                .update();
        tags.put(pilotId, Set.copyOf(registration.tags()));
        sandboxed.put(pilotId, registration.sandboxed());
        lastSeen.put(pilotId, now);
        slots.put(pilotId, registration.slots());
        hosts.put(pilotId, registration.host());
    }

    /** Task slots of the pilots heard from within {@code withinMs}: the capacity work can spread over now. */
    public int liveSlots(long withinMs) {
        long since = System.currentTimeMillis() - withinMs;
        return lastSeen.entrySet().stream().filter(e -> e.getValue() >= since)
                .mapToInt(e -> slots.getOrDefault(e.getKey(), 0)).sum();
    }

    /** Notes a heartbeat; the database learns it at most every few seconds (it is only for operators). */
    void seen(String pilotId) {
        long now = System.currentTimeMillis();
        Long previous = lastSeen.put(pilotId, now);
        if (previous == null || now - previous > 5_000) {
            jdbc.sql("UPDATE pilots SET last_heartbeat_at = ? WHERE id = ?").params(now, pilotId).update();
        }
    }

    /** Marks a pilot found to be a black hole, for operators (admin page, metrics). */
    void blackHole(String pilotId) {
        jdbc.sql("UPDATE pilots SET state = 'BLACKHOLE' WHERE id = ? AND state <> 'ENDED'").param(pilotId).update();
    }

    public void ended(String pilotId) {
        // A black hole stays reported as one after it leaves.
        jdbc.sql("UPDATE pilots SET state = CASE WHEN state = 'BLACKHOLE' THEN state ELSE 'ENDED' END, ended_at = ? "
                        + "WHERE id = ? AND state <> 'ENDED' AND ended_at IS NULL")
                .params(System.currentTimeMillis(), pilotId)
                .update();
        pilotByTokenHash.values().remove(pilotId);
        lastSeen.remove(pilotId);
        slots.remove(pilotId);
        hosts.remove(pilotId);
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
                .map(joined -> joined.isBlank() ? java.util.Set.<String>of() : Set.of(joined.split(",")))
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

    public List<PilotInfo> recent(int limit) {
        return jdbc.sql("""
                        SELECT id, backend, state, host, slots, created_at, last_heartbeat_at FROM pilots
                        ORDER BY created_at DESC LIMIT ?""")
                .param(limit)
                .query((rs, n) -> new PilotInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Integer) rs.getObject(5), rs.getLong(6), (Long) rs.getObject(7)))
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
