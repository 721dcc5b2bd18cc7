package org.escadrille.server.api.rest;

import java.util.List;
import java.util.Map;
import org.escadrille.server.account.Account;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness for scripts, and who the caller is. */
@RestController
class HealthController {

    @GetMapping("/api/v1/health")
    Map<String, String> health() {
        return Map.of("status", "UP");
    }

    @GetMapping("/api/v1/me")
    Map<String, Object> me(@AuthenticationPrincipal Account account) {
        return Map.of("username", account.username(), "roles", List.of(account.role().name().toLowerCase()));
    }
}
