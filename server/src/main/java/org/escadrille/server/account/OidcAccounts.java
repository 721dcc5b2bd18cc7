package org.escadrille.server.account;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.audit.AuditLog;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts of people who sign in through an OpenID provider (docs/oidc.md). A person is their provider's
 * issuer and their subject there ({@code user_identities}); their first sign-in makes their account,
 * enabled at once when the provider is trusted ({@code auto-approve}) or their verified address is in an
 * auto-approved domain, otherwise disabled and pending until an admin approves it. An identity is never
 * joined to an existing account by e-mail address: a password account with the same address belongs to
 * someone the provider never vouched for, so the new account gets a username of its own (suffixed
 * {@code -2}, {@code -3}, ... when the one the provider suggests is taken), and an admin who knows both
 * are one person can say so.
 */
@Service
public class OidcAccounts {
    /** Most pending accounts the admin page lists. */
    public static final int MAX_PENDING = 200;
    private static final int MAX_SUFFIX = 1000;
    /** Tries of a first sign-in that met another one making the same identity or taking the same username. */
    private static final int TRIES = 3;

    private final AccountRepository accounts;
    private final IdentityRepository identities;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final Clock clock;
    private final EscadrilleProperties.Oidc settings;
    private final TransactionTemplate transaction;

    OidcAccounts(AccountRepository accounts, IdentityRepository identities, PasswordEncoder passwordEncoder, AuditLog audit,
                 Clock clock, EscadrilleProperties properties, PlatformTransactionManager transactions) {
        this.transaction = new TransactionTemplate(transactions);
        this.accounts = accounts;
        this.identities = identities;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.clock = clock;
        this.settings = properties.oidc();
    }

    /**
     * What an OpenID provider says of the person signing in, its signature and times already checked.
     *
     * @param provider the id of the provider in the settings the sign-in went through
     */
    public record Claims(String provider, String issuer, String subject, String email, boolean emailVerified,
                         String preferredUsername) {
        public Claims {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(subject, "subject");
        }
    }

    /** How a sign-in through a provider ends. */
    public sealed interface Outcome {
        /** In, as this account. */
        record SignedIn(Account account, boolean created) implements Outcome {
        }

        /** The account exists and waits for an admin's approval. */
        record Pending(String username) implements Outcome {
        }

        /** An admin disabled (or rejected) the account. */
        record Disabled(String username) implements Outcome {
        }

        /** The provider or its issuer is not one this gateway accepts. */
        record Refused(String reason) implements Outcome {
        }
    }

    /**
     * Finds, or at the first sign-in makes, the account of the person the provider vouches for. Two first
     * sign-ins at once (two tabs, a double click) may both try to make the identity, or two people the same
     * username: the one that lost tries again, in a new transaction, and finds what the other made.
     */
    public Outcome signIn(Claims claims) {
        for (int tried = 1; ; tried++) {
            try {
                return transaction.execute(status -> signInOnce(claims));
            } catch (DuplicateKeyException taken) {
                if (tried == TRIES) {
                    throw taken;
                }
            }
        }
    }

    private Outcome signInOnce(Claims claims) {
        var provider = settings.providers().get(claims.provider());
        if (provider == null || !sameIssuer(provider.issuerUri(), claims.issuer())) {
            return new Outcome.Refused("the issuer " + claims.issuer() + " is not one this gateway accepts through '"
                    + claims.provider() + "'");
        }
        var known = identities.username(claims.issuer(), claims.subject());
        if (known.isPresent()) {
            var state = accounts.signInState(known.get()).orElseThrow();
            if (state.pending()) {
                return new Outcome.Pending(state.account().username());
            }
            return state.disabled() ? new Outcome.Disabled(state.account().username())
                    : new Outcome.SignedIn(state.account(), false);
        }
        boolean approved = provider.autoApprove() || claims.emailVerified() && inApprovedDomain(claims.email());
        var account = new Account(Ids.newId(), freeUsername(claims), Account.Role.USER);
        long now = clock.millis();
        String email = claims.email() == null || claims.email().length() > 254 ? null : claims.email();
        accounts.insertSignedInUser(account, passwordEncoder.encode(Ids.newSecret()), claims.emailVerified() ? email : null,
                now, !approved);
        identities.insert(claims.issuer(), claims.subject(), account.username(), email, now);
        audit.record(account.username(), approved ? "oidc-account-created" : "oidc-account-pending",
                account.username() + " (" + claims.provider() + ": " + claims.subject() + ")", null);
        return approved ? new Outcome.SignedIn(account, true) : new Outcome.Pending(account.username());
    }

    /** Accounts waiting for an admin's approval, oldest first, with the issuer that vouched for each. */
    public List<PendingAccount> pending() {
        return accounts.pendingAccounts(MAX_PENDING).stream()
                .map(p -> new PendingAccount(p.username(), p.email(), p.since(), identities.issuerOf(p.username()).orElse("")))
                .toList();
    }

    /** The issuer that vouches for the account, when it was made at an institutional sign-in. */
    public Optional<String> issuerOf(Account account) {
        return identities.issuerOf(account.username());
    }

    /** An admin approves a pending account: it is enabled, and its next sign-in gets in. */
    @Transactional
    public void approve(Account admin, String username, String address) {
        decide(admin, username, true, address);
    }

    /** An admin rejects a pending account: it stays disabled (an admin may still enable it later). */
    @Transactional
    public void reject(Account admin, String username, String address) {
        decide(admin, username, false, address);
    }

    private void decide(Account admin, String username, boolean approved, String address) {
        if (!accounts.decidePending(String.valueOf(username), approved)) {
            throw new NotFoundException("no account named " + username + " waits for approval");
        }
        audit.record(admin.username(), approved ? "account-approved" : "account-rejected", username, address);
    }

    private boolean inApprovedDomain(String email) {
        if (email == null || email.indexOf('@') < 0) {
            return false;
        }
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        return settings.autoApproveDomains().contains(domain);
    }

    /** Issuers compare as URLs do in practice: a trailing slash is no difference. */
    static boolean sameIssuer(String configured, String claimed) {
        return strip(configured).equals(strip(claimed));
    }

    private static String strip(String issuer) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    /** The username the provider suggests, made valid, suffixed when taken (by anyone: never a merge). */
    private String freeUsername(Claims claims) {
        String base = usernameBase(claims);
        if (accounts.findByUsername(base).isEmpty()) {
            return base;
        }
        for (int suffix = 2; suffix <= MAX_SUFFIX; suffix++) {
            String candidate = base + "-" + suffix;
            if (accounts.findByUsername(candidate).isEmpty()) {
                return candidate;
            }
        }
        return "u" + Ids.newId().toLowerCase(Locale.ROOT);
    }

    /** preferred_username, else the address's local part, else "user": lower-case, valid for AccountService's pattern. */
    static String usernameBase(Claims claims) {
        String wanted = claims.preferredUsername();
        if (wanted == null || wanted.isBlank()) {
            wanted = claims.email() == null ? "" : claims.email().substring(0, Math.max(0, claims.email().indexOf('@')));
        }
        String cleaned = wanted.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-").replaceAll("-{2,}", "-");
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
            cleaned = "u" + cleaned;
        }
        // room for a suffix ("-1000") within the 63 characters of a username
        cleaned = cleaned.length() > 50 ? cleaned.substring(0, 50) : cleaned;
        return cleaned.length() < 2 ? cleaned + "-user" : cleaned;
    }
}
