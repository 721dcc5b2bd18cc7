package org.escadrille.server.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the users and api_keys tables. */
@Repository
class AccountRepository {
    private static final String USER_COLUMNS = "id, username, role, email, notify_by_mail, created_at, disabled_at";
    private static final String KEY_COLUMNS = "id, label, created_at, expires_at, last_used_at, revoked_at";
    private final JdbcClient jdbc;

    AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The owner of an API key that is neither revoked nor expired, with when the key was last used. */
    record KeyOwner(String keyId, Long lastUsedAt, Account account) {
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

    /** The account and its password hash in one read, for a sign-in. */
    Optional<SignedInUser> signInDetails(String username) {
        return jdbc.sql("SELECT id, username, password_hash, role, disabled_at FROM users WHERE username = ?")
                .param(username)
                .query((rs, n) -> new SignedInUser(rs.getString(1), rs.getString(2), rs.getString(3),
                        Account.Role.valueOf(rs.getString(4)), nullableLong(rs, 5) == null))
                .optional();
    }

    Optional<String> passwordHash(String username) {
        return jdbc.sql("SELECT password_hash FROM users WHERE username = ?").param(username).query(String.class).optional();
    }

    Optional<MailPreference> mailPreference(String userId) {
        return jdbc.sql("SELECT email, notify_by_mail FROM users WHERE id = ?").param(userId)
                .query((rs, n) -> new MailPreference(rs.getString(1), rs.getBoolean(2))).optional();
    }

    void updateMailPreference(String userId, MailPreference preference) {
        jdbc.sql("UPDATE users SET email = ?, notify_by_mail = ? WHERE id = ?")
                .params(preference.email(), preference.notifyOnEnd(), userId).update();
    }

    void updatePasswordHash(String userId, String passwordHash) {
        jdbc.sql("UPDATE users SET password_hash = ? WHERE id = ?").params(passwordHash, userId).update();
    }

    boolean updateRole(String userId, Account.Role role) {
        return jdbc.sql("UPDATE users SET role = ? WHERE id = ?").params(role.name(), userId).update() == 1;
    }

    List<Account> findAll() {
        return jdbc.sql("SELECT id, username, role FROM users ORDER BY username")
                .query((rs, n) -> new Account(rs.getString(1), rs.getString(2), Account.Role.valueOf(rs.getString(3))))
                .list();
    }

    /**
     * Users whose name or e-mail address contains {@code text} (any case; blank: everyone), by name, at
     * most {@code limit}.
     */
    List<UserAccount> users(String text, int limit) {
        String like = "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        return jdbc.sql("SELECT " + USER_COLUMNS + " FROM users WHERE LOWER(username) LIKE ? ESCAPE '\\'"
                        + " OR LOWER(COALESCE(email, '')) LIKE ? ESCAPE '\\' ORDER BY username LIMIT ?")
                .params(like, like, limit)
                .query((rs, n) -> userAccount(rs))
                .list();
    }

    Optional<UserAccount> user(String username) {
        return jdbc.sql("SELECT " + USER_COLUMNS + " FROM users WHERE username = ?").param(username)
                .query((rs, n) -> userAccount(rs)).optional();
    }

    /** Disables the user from {@code at}, or enables them (null). */
    void updateDisabledAt(String userId, Long at) {
        jdbc.sql("UPDATE users SET disabled_at = ? WHERE id = ?").params(at, userId).update();
    }

    void insertApiKey(String id, String userId, String keyHash, String label, long now, Long expiresAt) {
        jdbc.sql("INSERT INTO api_keys (id, user_id, key_hash, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(id, userId, keyHash, label, now, expiresAt)
                .update();
    }

    Optional<KeyOwner> findByApiKeyHash(String keyHash, long now) {
        return jdbc.sql("""
                        SELECT k.id, k.last_used_at, u.id, u.username, u.role FROM api_keys k JOIN users u ON u.id = k.user_id
                        WHERE k.key_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)
                          AND u.disabled_at IS NULL""")
                .params(keyHash, now)
                .query((rs, n) -> new KeyOwner(rs.getString(1), nullableLong(rs, 2),
                        new Account(rs.getString(3), rs.getString(4), Account.Role.valueOf(rs.getString(5)))))
                .optional();
    }

    void touchApiKey(String keyId, long now) {
        jdbc.sql("UPDATE api_keys SET last_used_at = ? WHERE id = ?").params(now, keyId).update();
    }

    List<ApiKey> apiKeys(String userId, Instant now) {
        return jdbc.sql("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id")
                .param(userId)
                .query((rs, n) -> apiKey(rs, now))
                .list();
    }

    Optional<ApiKey> apiKey(String userId, String keyId, Instant now) {
        return jdbc.sql("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE user_id = ? AND id = ?")
                .params(userId, keyId)
                .query((rs, n) -> apiKey(rs, now))
                .optional();
    }

    /** Revokes the user's key; false when the user has no such key or it is already revoked. */
    boolean revokeApiKey(String userId, String keyId, long now) {
        return jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
                .params(now, keyId, userId)
                .update() == 1;
    }

    // Accounts made at a first sign-in through an OpenID provider (OidcAccounts), and their approval.

    /** Where an account stands at a sign-in through an OpenID provider. */
    record SignInState(Account account, boolean disabled, boolean pending) {
    }

    /**
     * An account made at a first sign-in through an OpenID provider: its password hash is of a secret no one
     * knows (until an admin sets one); {@code pending}: disabled, waiting for an admin's approval.
     */
    void insertSignedInUser(Account account, String unusablePasswordHash, String email, long now, boolean pending) {
        jdbc.sql("INSERT INTO users (id, username, password_hash, role, created_at, email, disabled_at, pending_since)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(account.id(), account.username(), unusablePasswordHash, account.role().name(), now, email,
                        pending ? now : null, pending ? now : null)
                .update();
    }

    Optional<SignInState> signInState(String username) {
        return jdbc.sql("SELECT id, username, role, disabled_at, pending_since FROM users WHERE username = ?")
                .param(username)
                .query((rs, n) -> {
                    var account = new Account(rs.getString(1), rs.getString(2), Account.Role.valueOf(rs.getString(3)));
                    boolean disabled = nullableLong(rs, 4) != null;
                    return new SignInState(account, disabled, disabled && nullableLong(rs, 5) != null);
                })
                .optional();
    }

    /** Accounts waiting for an admin's approval, oldest first: (username, e-mail, since when). */
    List<PendingAccount> pendingAccounts(int limit) {
        return jdbc.sql("SELECT username, email, pending_since FROM users WHERE pending_since IS NOT NULL"
                        + " AND disabled_at IS NOT NULL ORDER BY pending_since, username LIMIT ?")
                .param(limit)
                .query((rs, n) -> new PendingAccount(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), null))
                .list();
    }

    /** Ends the wait of a pending account: enabled when {@code approved}, else left disabled; false when none waits. */
    boolean decidePending(String username, boolean approved) {
        return jdbc.sql("UPDATE users SET pending_since = NULL" + (approved ? ", disabled_at = NULL" : "")
                        + " WHERE username = ? AND pending_since IS NOT NULL AND disabled_at IS NOT NULL")
                .param(username)
                .update() == 1;
    }

    private static ApiKey apiKey(ResultSet rs, Instant now) throws SQLException {
        Instant expires = instant(rs, 4);
        Instant revoked = instant(rs, 6);
        return new ApiKey(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), expires, instant(rs, 5),
                revoked, ApiKey.stateAt(expires, revoked, now));
    }

    private static UserAccount userAccount(ResultSet rs) throws SQLException {
        return new UserAccount(new Account(rs.getString(1), rs.getString(2), Account.Role.valueOf(rs.getString(3))),
                rs.getString(4), rs.getBoolean(5), Instant.ofEpochMilli(rs.getLong(6)), instant(rs, 7));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Long ms = nullableLong(rs, column);
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    /** {@code wasNull} speaks of the column read last: read, then ask, column by column. */
    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
