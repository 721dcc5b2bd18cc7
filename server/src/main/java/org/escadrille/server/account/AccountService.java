package org.escadrille.server.account;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.ConflictException;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.audit.AuditLog;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users and their API keys. Passwords are hashed with Spring Security's encoder; API keys are 256
 * random bits, shown once and stored as their SHA-256 (a slow hash buys nothing for random secrets,
 * and a fast one keeps every API call cheap). Changes made on someone's behalf (with their address)
 * go to the audit log.
 */
@Service
public class AccountService {
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_.-]{1,62}");
    /** The longest username the table holds: anything longer cannot be anyone. */
    static final int MAX_USERNAME = 64;
    /** BCrypt reads only the first 72 bytes of a password: longer ones are refused rather than cut silently. */
    static final int MAX_PASSWORD_BYTES = 72;
    /** Last-used times are written at most this often per key, so that a busy script costs no write per call. */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final Clock clock;

    AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, AuditLog audit, Clock clock) {
        this.clock = clock;
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
    }

    @Transactional
    public Account createUser(String username, String password, Account.Role role) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new InvalidRequestException("Invalid username", "a username is 2 to 63 characters: lower-case letters, "
                    + "digits, '_', '.', '-', starting with a letter; got " + username);
        }
        checkNewPassword(password);
        if (accounts.findByUsername(username).isPresent()) {
            throw new ConflictException("the username " + username + " is taken");
        }
        var account = new Account(Ids.newId(), username, role);
        accounts.insertUser(account, passwordEncoder.encode(password), clock.millis());
        return account;
    }

    /** An administrator creates a user: as {@link #createUser}, recorded in the audit log. */
    @Transactional
    public Account createUser(Account admin, String username, String password, Account.Role role, String address) {
        var created = createUser(username, password, role);
        audit.record(admin.username(), "user-created", created.username() + " (" + role.name().toLowerCase() + ")", address);
        return created;
    }

    /** An administrator gives a user another role. */
    @Transactional
    public Account changeRole(Account admin, String username, Account.Role role, String address) {
        var user = accounts.findByUsername(username).orElseThrow(() -> new NotFoundException("no user " + username));
        if (user.role() == role) {
            return user;
        }
        if (user.id().equals(admin.id())) {
            throw new InvalidRequestException("Invalid role change", "you cannot change your own role: ask another admin");
        }
        accounts.updateRole(user.id(), role);
        audit.record(admin.username(), "role-changed", username + ": " + user.role().name().toLowerCase() + " → "
                + role.name().toLowerCase(), address);
        return new Account(user.id(), user.username(), role);
    }

    /** Changes the account's password, given its current one. */
    @Transactional
    public void changePassword(Account account, String currentPassword, String newPassword, String address) {
        if (authenticatePassword(account.username(), currentPassword).isEmpty()) {
            audit.record(account.username(), "password-change-refused", account.username(), address);
            throw new InvalidRequestException("Wrong current password", "the current password is not right: type it again",
                    List.of(new InvalidRequestException.FieldProblem("currentPassword", "is not your current password")));
        }
        checkNewPassword(newPassword);
        accounts.updatePasswordHash(account.id(), passwordEncoder.encode(newPassword));
        audit.record(account.username(), "password-changed", account.username(), address);
    }

    /** Creates an API key for the account and returns it: the only time it is seen in clear. */
    @Transactional
    public String newApiKey(Account account, String label) {
        return createApiKey(account, label, null, null).secret();
    }

    /**
     * Creates an API key, expiring at {@code expiresAt} (null: never), recorded in the audit log; the
     * secret in the answer is the only time the key is seen in clear.
     */
    @Transactional
    public NewApiKey createApiKey(Account account, String label, Instant expiresAt, String address) {
        if (label != null && label.strip().length() > 100) {
            throw new InvalidRequestException("Invalid label", "a key's label has at most 100 characters",
                    List.of(new InvalidRequestException.FieldProblem("label", "has at most 100 characters")));
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidRequestException("Invalid expiry", "a key's expiry must be in the future; got " + expiresAt,
                    List.of(new InvalidRequestException.FieldProblem("expiresAt", "is not in the future")));
        }
        label = label == null ? "" : label.strip();
        String key = Ids.newSecret();
        String id = Ids.newId();
        accounts.insertApiKey(id, account.id(), sha256(key), label, now.toEpochMilli(),
                expiresAt == null ? null : expiresAt.toEpochMilli());
        audit.record(account.username(), "api-key-created", keyName(id, label), address);
        return new NewApiKey(accounts.apiKey(account.id(), id, now).orElseThrow(), key);
    }

    /** The account's API keys, newest first, revoked and expired ones included (with their state). */
    public List<ApiKey> apiKeys(Account account) {
        return accounts.apiKeys(account.id(), clock.instant());
    }

    public ApiKey apiKey(Account account, String keyId) {
        return accounts.apiKey(account.id(), keyId, clock.instant())
                .orElseThrow(() -> new NotFoundException("no API key " + keyId + " among yours"));
    }

    /** Revokes one of the account's keys: calls with it are refused from now on. */
    @Transactional
    public ApiKey revokeApiKey(Account account, String keyId, String address) {
        if (!accounts.revokeApiKey(account.id(), keyId, clock.millis())) {
            throw new NotFoundException("no active API key " + keyId + " among yours");
        }
        var key = apiKey(account, keyId);
        audit.record(account.username(), "api-key-revoked", keyName(keyId, key.label()), address);
        return key;
    }

    public Optional<Account> authenticateApiKey(String key) {
        if (key == null || key.isBlank() || key.length() > 200) {
            return Optional.empty();
        }
        long now = clock.millis();
        var owner = accounts.findByApiKeyHash(sha256(key.strip()), now);
        owner.filter(o -> o.lastUsedAt() == null || now - o.lastUsedAt() >= LAST_USED_PRECISION.toMillis())
                .ifPresent(o -> accounts.touchApiKey(o.keyId(), now));
        return owner.map(AccountRepository.KeyOwner::account);
    }

    public Optional<Account> authenticatePassword(String username, String password) {
        if (username == null || username.length() > MAX_USERNAME || password == null
                || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return Optional.empty();
        }
        return accounts.passwordHash(username)
                .filter(hash -> passwordEncoder.matches(password, hash))
                .flatMap(hash -> accounts.findByUsername(username));
    }

    /** Whether the password is the user's, whether or not they are disabled (to tell them why they cannot sign in). */
    boolean passwordMatches(String username, String password) {
        if (username == null || username.length() > MAX_USERNAME || password == null
                || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return false;
        }
        return accounts.passwordHash(username).filter(hash -> passwordEncoder.matches(password, hash)).isPresent();
    }

    /** Where and whether the user is told by e-mail that an execution ended. */
    public MailPreference mailPreference(String userId) {
        return accounts.mailPreference(userId).orElse(new MailPreference(null, true));
    }

    @Transactional
    public void changeMailPreference(Account account, MailPreference preference) {
        accounts.updateMailPreference(account.id(), preference);
    }

    public Optional<Account> findByUsername(String username) {
        return accounts.findByUsername(username);
    }

    public List<Account> all() {
        return accounts.findAll();
    }

    public boolean hasUsers() {
        return accounts.countUsers() > 0;
    }

    /** What a new password must be; the messages say what to fix. */
    static void checkNewPassword(String password) {
        if (password == null || password.isBlank()) {
            throw new InvalidRequestException("Invalid password", "a password cannot be empty or only spaces");
        }
        if (password.length() < 8) {
            throw new InvalidRequestException("Invalid password", "a password has at least 8 characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new InvalidRequestException("Invalid password", "a password has at most " + MAX_PASSWORD_BYTES
                    + " bytes (72 plain letters or digits, fewer with accents or other scripts): the hash ignores the rest");
        }
    }

    private static String keyName(String id, String label) {
        return "key " + id + (label == null || label.isEmpty() ? "" : " (" + label + ")");
    }

    static String sha256(String value) {
        return Sha256.of(value);
    }
}
