package org.escadrille.server.audit;

import java.time.Clock;
import java.time.Instant;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Records security-relevant acts and reads them back for administrators. Any feature may call
 * {@link #record}: a name for the act (a few lower-case words joined by dashes, e.g.
 * {@code api-key-revoked}), its target (a username, a key or an application, in words an admin reads),
 * and the caller's address ({@code request.getRemoteAddr()}, which honours forward headers when
 * they are configured). Over-long values are cut to their column (a failed sign-in may name a
 * 5,000-character user).
 */
@Service
public class AuditLog {
    /** The actor of acts done before anyone is signed in (a failed sign-in names its target instead). */
    public static final String NOBODY = "-";
    public static final int MAX_PAGE_SIZE = 200;

    private final JdbcClient jdbc;
    private final Clock clock;

    public AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, String address) {
        jdbc.sql("INSERT INTO audit_events (id, occurred_at, actor, action, target, address) VALUES (?, ?, ?, ?, ?, ?)")
                .params(Ids.newId(), clock.millis(), cut(actor, 64, NOBODY), cut(action, 64, "?"), cut(target, 300, ""),
                        cut(address, 64, ""))
                .update();
    }

    /** The events of one page, newest first. */
    public AuditPage page(int page, int size) {
        if (page < 0) {
            throw new InvalidRequestException("Invalid page", "page counts from 0; got " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidRequestException("Invalid page size", "size is 1 to " + MAX_PAGE_SIZE + "; got " + size);
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM audit_events").query(Long.class).single();
        var events = jdbc.sql("""
                        SELECT id, occurred_at, actor, action, target, address FROM audit_events
                        ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?""")
                .params(size, (long) page * size)
                .query((rs, n) -> new AuditEvent(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
        return new AuditPage(events, page, size, total);
    }

    private static String cut(String value, int length, String ifEmpty) {
        if (value == null || value.isEmpty()) {
            return ifEmpty;
        }
        return value.length() <= length ? value : value.substring(0, length - 1) + "…";
    }
}
