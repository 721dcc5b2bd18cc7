package org.escadrille.server.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.escadrille.server.ConflictException;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users and their API keys. Passwords are hashed with Spring Security's encoder; API keys are 256
 * random bits, shown once and stored as their SHA-256 (a slow hash buys nothing for random secrets,
 * and a fast one keeps every API call cheap).
 */
@Service
public class AccountService {
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_.-]{1,62}");

    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder;

    AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder) {
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
    }

    @Transactional
    public Account createUser(String username, String password, Account.Role role) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new InvalidRequestException("Invalid username", "a username is 2 to 63 characters: lower-case letters, "
                    + "digits, '_', '.', '-', starting with a letter; got " + username);
        }
        if (password == null || password.length() < 8) {
            throw new InvalidRequestException("Invalid password", "a password has at least 8 characters");
        }
        if (accounts.findByUsername(username).isPresent()) {
            throw new ConflictException("the username " + username + " is taken");
        }
        var account = new Account(Ids.newId(), username, role);
        accounts.insertUser(account, passwordEncoder.encode(password), System.currentTimeMillis());
        return account;
    }

    /** Creates an API key for the account and returns it: the only time it is seen in clear. */
    @Transactional
    public String newApiKey(Account account, String label) {
        if (label != null && label.strip().length() > 100) {
            throw new InvalidRequestException("Invalid label", "a key's label has at most 100 characters",
                    List.of(new InvalidRequestException.FieldProblem("label", "has at most 100 characters")));
        }
        label = label == null ? null : label.strip();
        String key = Ids.newSecret();
        accounts.insertApiKey(Ids.newId(), account.id(), sha256(key), label == null ? "" : label, System.currentTimeMillis());
        return key;
    }

    /** The account's API keys, newest first, revoked ones included (marked). */
    public List<ApiKey> apiKeys(Account account) {
        return accounts.apiKeys(account.id());
    }

    /** Revokes one of the account's keys: calls with it are refused from now on. */
    @Transactional
    public void revokeApiKey(Account account, String keyId) {
        if (!accounts.revokeApiKey(account.id(), keyId, System.currentTimeMillis())) {
            throw new NotFoundException("no active API key " + keyId + " among yours");
        }
    }

    public Optional<Account> authenticateApiKey(String key) {
        if (key == null || key.isBlank() || key.length() > 200) {
            return Optional.empty();
        }
        return accounts.findByApiKeyHash(sha256(key.strip()));
    }

    public Optional<Account> authenticatePassword(String username, String password) {
        return accounts.passwordHash(username)
                .filter(hash -> passwordEncoder.matches(password, hash))
                .flatMap(hash -> accounts.findByUsername(username));
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

    static String sha256(String value) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
