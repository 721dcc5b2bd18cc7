package org.escadrille.server.account;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Accounts as Spring Security's form login sees them (the portal's login page). */
@Component
class AccountUserDetails implements UserDetailsService {
    private final JdbcClient jdbc;

    AccountUserDetails(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        if (username == null || username.length() > AccountService.MAX_USERNAME) {
            // No one has such a name, and the column would refuse it with an error: a plain failed sign-in.
            throw new UsernameNotFoundException("no such user");
        }
        return jdbc.sql("SELECT id, username, password_hash, role FROM users WHERE username = ?")
                .param(username)
                .query((rs, n) -> (UserDetails) new SignedInUser(rs.getString(1), rs.getString(2), rs.getString(3),
                        Account.Role.valueOf(rs.getString(4))))
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
