package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.storage.StorageQuotas;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A user's storage quota and usage, for admins: {@code /api/v1/users/{username}/storage-quota}. */
@RestController
class StorageQuotaController {
    private final AccountService accounts;
    private final StorageQuotas quotas;
    private final AuditLog audit;

    StorageQuotaController(AccountService accounts, StorageQuotas quotas, AuditLog audit) {
        this.accounts = accounts;
        this.quotas = quotas;
        this.audit = audit;
    }

    /** A user's usage and quota; {@code own} says whether the quota is theirs or the default. */
    record QuotaView(String username, long usedBytes, long quotaBytes, boolean own) {
    }

    /** The new quota in bytes (0: no limit); null puts the user back on {@code escadrille.storage.quota-default}. */
    record QuotaChange(Long bytes) {
    }

    @GetMapping("/api/v1/users/{username}/storage-quota")
    QuotaView quota(@AuthenticationPrincipal Account admin, @PathVariable String username) {
        return view(user(admin, username));
    }

    @PutMapping("/api/v1/users/{username}/storage-quota")
    QuotaView change(@AuthenticationPrincipal Account admin, @PathVariable String username,
                     @RequestBody QuotaChange change, HttpServletRequest request) {
        Account user = user(admin, username);
        if (change.bytes() != null && change.bytes() < 0) {
            throw new InvalidRequestException("Invalid quota", "bytes must be 0 (no limit), a positive number of bytes,"
                    + " or null for the default (escadrille.storage.quota-default); got " + change.bytes());
        }
        quotas.setOwn(user, change.bytes());
        audit.record(admin.username(), "storage-quota-change", user.username() + " "
                + (change.bytes() == null ? "default" : change.bytes() + " bytes"), request.getRemoteAddr());
        return view(user);
    }

    private Account user(Account admin, String username) {
        if (!admin.isAdmin()) {
            throw new AccessDeniedException("storage quotas are set by admins only");
        }
        return accounts.findByUsername(username)
                .orElseThrow(() -> new NotFoundException("no user '" + username + "'"));
    }

    private QuotaView view(Account user) {
        var usage = quotas.usage(user);
        return new QuotaView(user.username(), usage.usedBytes(), usage.quotaBytes(), quotas.own(user).isPresent());
    }
}
