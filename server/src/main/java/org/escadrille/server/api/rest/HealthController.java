package org.escadrille.server.api.rest;

import java.util.List;
import java.util.Map;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.StorageQuotas;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness for scripts, and who the caller is (with the storage they use and may use). */
@RestController
class HealthController {
    private final StorageQuotas quotas;

    HealthController(StorageQuotas quotas) {
        this.quotas = quotas;
    }

    @GetMapping("/api/v1/health")
    Map<String, String> health() {
        return Map.of("status", "UP");
    }

    @GetMapping("/api/v1/me")
    Map<String, Object> me(@AuthenticationPrincipal Account account) {
        var usage = quotas.usage(account);
        // quotaBytes 0: no limit.
        return Map.of("username", account.username(), "roles", List.of(account.role().name().toLowerCase()),
                "storage", Map.of("usedBytes", usage.usedBytes(), "quotaBytes", usage.quotaBytes()));
    }
}
