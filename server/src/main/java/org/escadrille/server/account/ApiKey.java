package org.escadrille.server.account;

import java.time.Instant;
import java.util.Locale;

/**
 * An API key as its owner sees it: never the key itself (only its hash is stored). {@code expiresAt}
 * and {@code lastUsedAt} may be null (no expiry; never used); {@code state} is as of when it was read.
 */
public record ApiKey(String id, String label, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt,
                     State state) {

    /** Whether a call with the key is accepted now. */
    public enum State {
        ACTIVE, EXPIRED, REVOKED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean isRevoked() {
        return state == State.REVOKED;
    }

    public boolean isActive() {
        return state == State.ACTIVE;
    }

    static State stateAt(Instant expiresAt, Instant revokedAt, Instant now) {
        if (revokedAt != null) {
            return State.REVOKED;
        }
        return expiresAt != null && !now.isBefore(expiresAt) ? State.EXPIRED : State.ACTIVE;
    }
}
