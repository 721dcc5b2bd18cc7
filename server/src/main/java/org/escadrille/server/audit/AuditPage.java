package org.escadrille.server.audit;

import java.util.List;

/** One page of the audit log, newest first; {@code page} counts from 0. */
public record AuditPage(List<AuditEvent> events, int page, int size, long total) {

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }
}
