package org.escadrille.server.account;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
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
        return jdbc.sql("SELECT username, password_hash, role FROM users WHERE username = ?")
                .param(username)
                .query((rs, n) -> User.withUsername(rs.getString(1)).password(rs.getString(2))
                        .roles(rs.getString(3)).build())
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("no user " + username));
    }
}
