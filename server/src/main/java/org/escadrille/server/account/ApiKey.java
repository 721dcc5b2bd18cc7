package org.escadrille.server.account;

import java.time.Instant;

/** An API key as its owner sees it once created: never the key itself (only its hash is stored). */
public record ApiKey(String id, String label, Instant createdAt, Instant revokedAt) {

    public boolean isRevoked() {
        return revokedAt != null;
    }
}
