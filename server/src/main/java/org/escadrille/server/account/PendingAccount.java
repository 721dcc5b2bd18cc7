package org.escadrille.server.account;

import java.time.Instant;

/**
 * An account made at a first sign-in through an OpenID provider that waits for an admin's approval: who,
 * their address (as the provider gave it), since when, and the provider's issuer.
 */
public record PendingAccount(String username, String email, Instant since, String issuer) {
}
