package org.escadrille.server.catalog;

import java.time.Instant;

/**
 * A version of an application as its publisher manages it: listed in the catalogue, or withdrawn
 * ({@code withdrawnAt}: executions refer to it, so it was kept for their provenance when deleted).
 */
public record PublishedVersion(Application application, Instant withdrawnAt) {

    public boolean listed() {
        return withdrawnAt == null;
    }
}
