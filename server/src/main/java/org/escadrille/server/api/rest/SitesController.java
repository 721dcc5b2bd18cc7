package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Page;
import org.escadrille.server.account.Account;
import org.escadrille.server.site.Site;
import org.escadrille.server.site.SiteChange;
import org.escadrille.server.site.SiteKinds;
import org.escadrille.server.site.SiteService;
import org.escadrille.server.site.SiteStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code /api/v1/sites}, for admins: where pilots run, with their health. Settings whose name looks
 * secret are masked; a manual site's token is shown once, when it is made.
 */
@RestController
class SitesController {
    private static final String MASK = "********";

    private final SiteService sites;
    private final SiteKinds kinds;
    private final Paging paging;
    private final String publicUrl;

    SitesController(SiteService sites, SiteKinds kinds, Paging paging, EscadrilleProperties properties) {
        this.sites = sites;
        this.kinds = kinds;
        this.paging = paging;
        this.publicUrl = properties.publicUrl();
    }

    /** A site's pilots now and the factory's last word on it. */
    record HealthView(boolean healthy, int pilotsQueued, int pilotsRunning, int slots, Instant lastSubmissionAt,
                      int consecutiveFailures, String lastError, Instant unhealthySince, Instant backoffUntil) {
    }

    record LimitsView(int maxQueued, int maxRunning, int maxSlots, int slotsPerPilot, Long memoryMbPerPilot) {
    }

    /**
     * @param token   a manual site's token, only in the answer that made it
     * @param command the one line that starts a pilot of a manual site on any host, with that token
     */
    record SiteView(String name, String kind, boolean enabled, Map<String, String> settings, LimitsView limits,
                    List<String> tags, Instant createdAt, String createdBy, HealthView health, String token, String command) {
    }

    @GetMapping("/api/v1/sites")
    ResponseEntity<List<SiteView>> list(@AuthenticationPrincipal Account account, @RequestParam(required = false) Integer limit,
                                        @RequestParam(required = false) Integer offset, HttpServletRequest request) {
        admin(account);
        var window = paging.window(limit, offset);
        var page = Page.of(sites.list(), window.offset(), window.limit()).map(status -> view(status, null, null));
        return paging.answer(page, window, request);
    }

    /** Every kind a site may be, with the settings it understands: name → meaning. */
    @GetMapping("/api/v1/site-kinds")
    Map<String, Map<String, String>> kinds(@AuthenticationPrincipal Account account) {
        admin(account);
        var all = new TreeMap<String, Map<String, String>>();
        kinds.names().forEach(kind -> all.put(kind, kinds.settings(kind)));
        return all;
    }

    @PostMapping("/api/v1/sites")
    ResponseEntity<SiteView> create(@AuthenticationPrincipal Account account, @RequestBody(required = false) SiteChange body,
                                    HttpServletRequest request) {
        admin(account);
        var created = sites.create(body, account.username(), request.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.CREATED).body(view(created.status(), created.token(), request));
    }

    @GetMapping("/api/v1/sites/{name}")
    SiteView get(@AuthenticationPrincipal Account account, @PathVariable String name) {
        admin(account);
        return view(sites.get(name), null, null);
    }

    @PatchMapping("/api/v1/sites/{name}")
    SiteView update(@AuthenticationPrincipal Account account, @PathVariable String name,
                    @RequestBody(required = false) SiteChange body, HttpServletRequest request) {
        admin(account);
        return view(sites.update(name, body, account.username(), request.getRemoteAddr()), null, null);
    }

    @DeleteMapping("/api/v1/sites/{name}")
    ResponseEntity<Void> remove(@AuthenticationPrincipal Account account, @PathVariable String name,
                                HttpServletRequest request) {
        admin(account);
        sites.remove(name, account.username(), request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    /** A new token for a manual site (the one before stops working at once). */
    @PostMapping("/api/v1/sites/{name}/token")
    SiteView rotateToken(@AuthenticationPrincipal Account account, @PathVariable String name, HttpServletRequest request) {
        admin(account);
        String token = sites.rotateToken(name, account.username(), request.getRemoteAddr());
        return view(sites.get(name), token, request);
    }

    /** Revokes a manual site's token: no new pilot registers with it; those running go on. */
    @DeleteMapping("/api/v1/sites/{name}/token")
    ResponseEntity<Void> revokeToken(@AuthenticationPrincipal Account account, @PathVariable String name,
                                     HttpServletRequest request) {
        admin(account);
        sites.revokeToken(name, account.username(), request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    private static void admin(Account account) {
        if (!account.isAdmin()) {
            throw new AccessDeniedException("sites are for admins only");
        }
    }

    private SiteView view(SiteStatus status, String token, HttpServletRequest request) {
        Site site = status.site();
        var health = site.health();
        var limits = site.limits();
        String command = null;
        if (token != null) {
            String server = publicUrl.isEmpty() ? ServletUriComponentsBuilder.fromContextPath(request).build().toUriString() : publicUrl;
            command = "java -jar escadrille-pilot.jar --server " + server + " --token " + token + " --slots "
                    + limits.slotsPerPilot();
        }
        return new SiteView(site.name(), site.kind(), site.enabled(), masked(site.settings()),
                new LimitsView(limits.maxQueued(), limits.maxRunning(), limits.maxSlots(), limits.slotsPerPilot(),
                        limits.memoryMbPerPilot()),
                site.tags(), site.createdAt(), site.createdBy(),
                new HealthView(health.healthy(), status.queuedPilots(), status.runningPilots(), status.slots(),
                        health.lastSubmissionAt(), health.consecutiveFailures(), health.lastError(), health.failingSince(),
                        health.backoffUntil()),
                token, command);
    }

    /** Settings as shown: those whose name says key, token, password or secret are masked. */
    static Map<String, String> masked(Map<String, String> settings) {
        var shown = new TreeMap<String, String>();
        settings.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean secret = lower.contains("key") || lower.contains("token") || lower.contains("password")
                    || lower.contains("secret");
            shown.put(name, secret ? MASK : value);
        });
        return shown;
    }
}
