package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.ApiKey;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.audit.AuditPage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own account (API keys, password), and the audit log for admins. */
@RestController
class AccountController {
    private final AccountService accounts;
    private final AuditLog audit;

    AccountController(AccountService accounts, AuditLog audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    /** A key as the API shows it: its state in words, never the secret (but once, on creation). */
    record KeyView(String id, String label, String state, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                   Instant revokedAt, String key) {
        static KeyView of(ApiKey key, String secret) {
            return new KeyView(key.id(), key.label(), key.state().label(), key.createdAt(), key.expiresAt(), key.lastUsedAt(),
                    key.revokedAt(), secret);
        }
    }

    /** A new key: a label, and when it stops working (omitted: never). */
    record NewKeyRequest(String label, Instant expiresAt) {
    }

    record PasswordChange(String currentPassword, String newPassword) {
    }

    @GetMapping("/api/v1/account/keys")
    List<KeyView> keys(@AuthenticationPrincipal Account account) {
        return accounts.apiKeys(account).stream().map(key -> KeyView.of(key, null)).toList();
    }

    @PostMapping("/api/v1/account/keys")
    ResponseEntity<KeyView> create(@AuthenticationPrincipal Account account, @RequestBody(required = false) NewKeyRequest body,
                                   HttpServletRequest request) {
        var wanted = body == null ? new NewKeyRequest(null, null) : body;
        var created = accounts.createApiKey(account, wanted.label(), wanted.expiresAt(), request.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.CREATED).body(KeyView.of(created.key(), created.secret()));
    }

    @GetMapping("/api/v1/account/keys/{id}")
    KeyView key(@AuthenticationPrincipal Account account, @PathVariable String id) {
        return KeyView.of(accounts.apiKey(account, id), null);
    }

    @DeleteMapping("/api/v1/account/keys/{id}")
    KeyView revoke(@AuthenticationPrincipal Account account, @PathVariable String id, HttpServletRequest request) {
        return KeyView.of(accounts.revokeApiKey(account, id, request.getRemoteAddr()), null);
    }

    @PostMapping("/api/v1/account/password")
    ResponseEntity<Void> changePassword(@AuthenticationPrincipal Account account, @RequestBody PasswordChange body,
                                        HttpServletRequest request) {
        if (body == null || body.currentPassword() == null || body.newPassword() == null) {
            throw new InvalidRequestException("Missing password", "send {\"currentPassword\": ..., \"newPassword\": ...}");
        }
        accounts.changePassword(account, body.currentPassword(), body.newPassword(), request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/audit")
    AuditPage audit(@AuthenticationPrincipal Account account, @RequestParam(defaultValue = "0") int page,
                    @RequestParam(defaultValue = "50") int size) {
        if (!account.isAdmin()) {
            throw new AccessDeniedException("the audit log is for admins only");
        }
        return audit.page(page, size);
    }
}
