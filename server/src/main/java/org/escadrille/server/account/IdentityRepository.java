package org.escadrille.server.account;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the user_identities table: who an account is at an OpenID provider. */
@Repository
class IdentityRepository {
    private final JdbcClient jdbc;

    IdentityRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The username of the account of {@code subject} at {@code issuer}. */
    Optional<String> username(String issuer, String subject) {
        return jdbc.sql("SELECT username FROM user_identities WHERE issuer = ? AND subject = ?")
                .params(issuer, subject).query(String.class).optional();
    }

    void insert(String issuer, String subject, String username, String email, long now) {
        jdbc.sql("INSERT INTO user_identities (issuer, subject, username, email, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(issuer, subject, username, email, now)
                .update();
    }

    /** The issuer of (one of) the account's identities, if it has any. */
    Optional<String> issuerOf(String username) {
        return jdbc.sql("SELECT issuer FROM user_identities WHERE username = ? ORDER BY created_at")
                // list(), not stream(): a stream holds its connection until closed
                .param(username).query(String.class).list().stream().findFirst();
    }
}
