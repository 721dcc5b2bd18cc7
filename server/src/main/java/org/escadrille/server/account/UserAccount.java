package org.escadrille.server.account;

import java.time.Instant;

/**
 * A user as administrators see and manage them: their account, the address they are mailed at, and
 * since when they are disabled (null: they are not).
 */
public record UserAccount(Account account, String email, boolean notifyOnEnd, Instant createdAt, Instant disabledAt) {

    public String username() {
        return account.username();
    }

    public Account.Role role() {
        return account.role();
    }

    public boolean enabled() {
        return disabledAt == null;
    }
}
