package org.escadrille.server.account;

import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/**
 * A person signed in to the portal (form login, a session): Spring Security's user, carrying the
 * {@link Account} that the rest of the server works with.
 */
public class SignedInUser extends User {
    private final String accountId;
    private final Account.Role role;

    /** {@code enabled} false: a disabled account, which Spring Security refuses to sign in. */
    SignedInUser(String accountId, String username, String passwordHash, Account.Role role, boolean enabled) {
        super(username, passwordHash, enabled, true, true, true, List.of(new SimpleGrantedAuthority(role.authority())));
        this.accountId = accountId;
        this.role = role;
    }

    public Account account() {
        return new Account(accountId, getUsername(), role);
    }
}
