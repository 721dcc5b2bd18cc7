package org.escadrille.server.account;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Accounts as Spring Security's form login sees them (the portal's login page). */
@Component
class AccountUserDetails implements UserDetailsService {
    private final AccountRepository accounts;

    AccountUserDetails(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        if (username == null || username.length() > AccountService.MAX_USERNAME) {
            // No one has such a name, and the column would refuse it with an error: a plain failed sign-in.
            throw new UsernameNotFoundException("no such user");
        }
        return accounts.signInDetails(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
