package org.escadrille.server.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the users and api_keys tables. */
@Repository
class AccountRepository {
    private final JdbcClient jdbc;

    AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long countUsers() {
        return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
    }

    void insertUser(Account account, String passwordHash, long now) {
        jdbc.sql("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(account.id(), account.username(), passwordHash, account.role().name(), now)
                .update();
    }

    Optional<Account> findByUsername(String username) {
        return jdbc.sql("SELECT id, username, role FROM users WHERE username = ?")
                .param(username)
                .query((rs, n) -> new Account(rs.getString(1), rs.getString(2), Account.Role.valueOf(rs.getString(3))))
                .optional();
    }

    Optional<String> passwordHash(String username) {
        return jdbc.sql("SELECT password_hash FROM users WHERE username = ?").param(username).query(String.class).optional();
    }

    List<Account> findAll() {
        return jdbc.sql("SELECT id, username, role FROM users ORDER BY username")
                .query((rs, n) -> new Account(rs.getString(1), rs.getString(2), Account.Role.valueOf(rs.getString(3))))
                .list();
    }

    void insertApiKey(String id, String userId, String keyHash, String label, long now) {
        jdbc.sql("INSERT INTO api_keys (id, user_id, key_hash, label, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(id, userId, keyHash, label, now)
                .update();
    }

    Optional<Account> findByApiKeyHash(String keyHash) {
        return jdbc.sql("""
                        SELECT u.id, u.username, u.role FROM api_keys k JOIN users u ON u.id = k.user_id
                        WHERE k.key_hash = ? AND k.revoked_at IS NULL""")
                .param(keyHash)
                .query((rs, n) -> new Account(rs.getString(1), rs.getString(2), Account.Role.valueOf(rs.getString(3))))
                .optional();
    }

    List<ApiKey> apiKeys(String userId) {
        return jdbc.sql("SELECT id, label, created_at, revoked_at FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id")
                .param(userId)
                .query((rs, n) -> {
                    long revoked = rs.getLong(4);
                    return new ApiKey(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                            rs.wasNull() ? null : Instant.ofEpochMilli(revoked));
                })
                .list();
    }

    /** Revokes the user's key; false when the user has no such key or it is already revoked. */
    boolean revokeApiKey(String userId, String keyId, long now) {
        return jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
                .params(now, keyId, userId)
                .update() == 1;
    }
}
