package org.escadrille.server.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.audit.AuditLog;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What administrators do to other people's accounts: find them, change their e-mail address, disable
 * and enable them, reset their password. Each act is audited. A disabled user cannot sign in, their API
 * keys answer 401 and their open portal sessions end; their files, executions and queued tasks stay
 * (their running tasks are not killed: disabling is about access, and an admin who wants the work gone
 * kills or deletes the executions).
 */
@Service
public class UserAdministration {
    /** Most users a search answers: the admin page is for finding someone, not for paging through a directory. */
    public static final int MAX_LISTED = 500;
    /** Generated passwords: 20 characters without look-alikes (0/O, 1/l/I), about 112 bits. */
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int GENERATED_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder;
    private final UserSessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    UserAdministration(AccountRepository accounts, PasswordEncoder passwordEncoder, UserSessions sessions, AuditLog audit,
                       Clock clock) {
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new password, chosen by the admin or generated: the only time it is seen in clear when generated. */
    public record PasswordReset(UserAccount user, String generatedPassword) {
    }

    /** Users whose name or e-mail address contains {@code text} (blank: everyone), by name. */
    public List<UserAccount> find(String text) {
        String wanted = text == null ? "" : text.strip();
        if (wanted.length() > AccountService.MAX_USERNAME * 4) {
            throw new InvalidRequestException("Invalid search", "search for at most " + AccountService.MAX_USERNAME * 4
                    + " characters of a username or an e-mail address");
        }
        return accounts.users(wanted, MAX_LISTED);
    }

    public UserAccount get(String username) {
        return accounts.user(username == null ? "" : username)
                .orElseThrow(() -> new NotFoundException("no user " + username));
    }

    /** Sets the address a user is mailed at (blank: none); their wish to be mailed or not stays. */
    @Transactional
    public UserAccount changeEmail(Account admin, String username, String email, String address) {
        var user = get(username);
        var preference = new MailPreference(email, user.notifyOnEnd());
        accounts.updateMailPreference(user.account().id(), preference);
        audit.record(admin.username(), "email-changed", username + ": " + (preference.email() == null ? "none"
                : preference.email()), address);
        return get(username);
    }

    /**
     * Disables or enables a user. An admin cannot disable themselves (nobody might be left to enable
     * them). Doing what is already done changes nothing and records nothing.
     */
    @Transactional
    public UserAccount setEnabled(Account admin, String username, boolean enabled, String address) {
        var user = get(username);
        if (!enabled && user.account().id().equals(admin.id())) {
            throw new InvalidRequestException("Cannot disable yourself", "you cannot disable your own account: "
                    + "ask another admin", List.of(new InvalidRequestException.FieldProblem("enabled",
                    "cannot be false for your own account")));
        }
        if (user.enabled() == enabled) {
            return user;
        }
        accounts.updateDisabledAt(user.account().id(), enabled ? null : clock.millis());
        if (!enabled) {
            sessions.end(username);
        }
        audit.record(admin.username(), enabled ? "user-enabled" : "user-disabled", username, address);
        return get(username);
    }

    /**
     * Gives a user a new password: {@code password} when given, else a generated one returned in the
     * answer (and nowhere else). Their open portal sessions end; their API keys stay valid.
     */
    @Transactional
    public PasswordReset resetPassword(Account admin, String username, String password, String address) {
        var user = get(username);
        boolean generate = password == null || password.isEmpty();
        String chosen = generate ? generated() : password;
        AccountService.checkNewPassword(chosen);
        accounts.updatePasswordHash(user.account().id(), passwordEncoder.encode(chosen));
        sessions.end(username);
        audit.record(admin.username(), "password-reset", username + (generate ? " (generated)" : ""), address);
        return new PasswordReset(user, generate ? chosen : null);
    }

    private static String generated() {
        var password = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
