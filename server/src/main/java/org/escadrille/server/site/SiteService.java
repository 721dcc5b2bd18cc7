package org.escadrille.server.site;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.ConflictException;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.scheduling.PilotRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Adding, changing and removing sites, each checked (the engine's own check of the settings) and
 * audited; manual sites' tokens (stored as SHA-256 hashes, as the pilots' tokens are); and the local
 * site, which the configuration ({@code escadrille.local.*}) defines.
 */
@Service
public class SiteService {
    private static final Logger log = LoggerFactory.getLogger(SiteService.class);
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String SUBMITTED = "SUBMITTED";

    private final SiteRepository repository;
    private final SiteKinds kinds;
    private final PilotRegistry pilots;
    private final AuditLog audit;
    private final EscadrilleProperties properties;
    private final Clock clock;

    SiteService(SiteRepository repository, SiteKinds kinds, PilotRegistry pilots, AuditLog audit,
                EscadrilleProperties properties, Clock clock) {
        this.repository = repository;
        this.kinds = kinds;
        this.pilots = pilots;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** A site just added, with its token when it is a manual one (shown this once). */
    public record NewSite(SiteStatus status, String token) {
    }

    public List<SiteStatus> list() {
        return repository.all().stream().map(this::status).toList();
    }

    public SiteStatus get(String name) {
        return status(site(name));
    }

    public NewSite create(SiteChange change, String actor, String address) {
        if (change == null) {
            throw new InvalidRequestException("Missing site", "send {\"name\": ..., \"kind\": ..., ...}");
        }
        var problems = new ArrayList<FieldProblem>();
        if (change.name() == null || !Site.NAME.matcher(change.name()).matches()) {
            problems.add(new FieldProblem("name", "a site's name is 1 to 40 of a-z, 0-9 and '-', got "
                    + (change.name() == null ? "none" : "'" + change.name() + "'")));
        }
        if (change.kind() == null || !kinds.names().contains(change.kind())) {
            problems.add(new FieldProblem("kind", "a site's kind is one of " + kinds.names() + ", got "
                    + (change.kind() == null ? "none" : "'" + change.kind() + "'")));
        } else if (Site.LOCAL.equals(change.kind())) {
            problems.add(new FieldProblem("kind", "the local site is defined by the configuration (escadrille.local.*)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("Invalid site", problems.get(0).message(), problems);
        }
        if (repository.find(change.name()).isPresent()) {
            throw new ConflictException("a site named " + change.name() + " exists already");
        }
        var site = checked(new Site(change.name(), change.kind(), true, Map.of(), Site.Limits.DEFAULTS, List.of(),
                clock.instant(), actor, null), change);
        String token = Site.MANUAL.equals(site.kind()) ? Ids.newSecret() : null;
        repository.insert(site, token == null ? null : Sha256.of(token));
        audit.record(actor, "site.add", site.name() + " (" + site.kind() + ")", address);
        log.info("site {} ({}) added by {}", site.name(), site.kind(), actor);
        return new NewSite(status(site), token);
    }

    public SiteStatus update(String name, SiteChange change, String actor, String address) {
        var site = site(name);
        if (change == null) {
            throw new InvalidRequestException("Missing change", "send the fields to change: enabled, settings, maxQueued,"
                    + " maxRunning, maxSlots, slotsPerPilot, memoryMbPerPilot, tags");
        }
        if (change.name() != null && !change.name().equals(name) || change.kind() != null && !change.kind().equals(site.kind())) {
            throw new InvalidRequestException("Invalid change", "a site's name and kind cannot change: add a new site instead");
        }
        boolean onlyEnabled = change.settings() == null && change.maxQueued() == null && change.maxRunning() == null
                && change.maxSlots() == null && change.slotsPerPilot() == null && change.memoryMbPerPilot() == null
                && change.tags() == null;
        if (Site.LOCAL.equals(site.kind()) && !onlyEnabled) {
            throw new ConflictException("the local site is configured by escadrille.local.* (slots, pilots, tags,"
                    + " pilot-jvm-options) and escadrille.security.local-pilot-sandbox: only 'enabled' can change here");
        }
        var changed = checked(site, change);
        repository.update(changed);
        audit.record(actor, "site.update", name + describe(change), address);
        log.info("site {} changed by {}{}", name, actor, describe(change));
        return status(changed);
    }

    public void remove(String name, String actor, String address) {
        var site = site(name);
        if (Site.LOCAL.equals(site.kind())) {
            throw new ConflictException("the local site cannot be removed (escadrille.local.enabled=false turns it off,"
                    + " or disable it)");
        }
        int alive = pilots.aliveOf(name).size();
        if (alive > 0) {
            throw new ConflictException("site " + name + " still has " + alive + " pilot(s) alive: disable it, wait for"
                    + " them to drain, then remove it");
        }
        repository.delete(name);
        audit.record(actor, "site.remove", name, address);
        log.info("site {} removed by {}", name, actor);
    }

    /** A new token for a manual site; the one before stops working. */
    public String rotateToken(String name, String actor, String address) {
        var site = manual(name);
        String token = Ids.newSecret();
        repository.tokenHash(site.name(), Sha256.of(token));
        audit.record(actor, "site.token", name, address);
        return token;
    }

    /** Revokes a manual site's token: no new pilot registers with it (those running go on). */
    public void revokeToken(String name, String actor, String address) {
        var site = manual(name);
        repository.tokenHash(site.name(), null);
        audit.record(actor, "site.token.revoke", name, address);
    }

    /**
     * The local site as the configuration defines it: created, or its settings, limits and tags
     * brought in line (its enabled flag stays as an administrator left it).
     */
    void syncLocalSite() {
        if (!properties.local().enabled()) {
            return;
        }
        var local = properties.local();
        var settings = new LinkedHashMap<String, String>();
        settings.put("jvm-options", local.pilotJvmOptions());
        settings.put("sandbox", properties.security().localPilotSandbox());
        var limits = new Site.Limits(local.pilots(), local.pilots(), local.pilots() * local.slots(), local.slots(), null);
        var existing = repository.find(Site.LOCAL);
        if (existing.isEmpty()) {
            repository.insert(new Site(Site.LOCAL, Site.LOCAL, true, settings, limits, local.tags(), clock.instant(),
                    AuditLog.NOBODY, null), null);
        } else {
            repository.update(existing.get().with(existing.get().enabled(), settings, limits, local.tags()));
        }
    }

    private Site site(String name) {
        return repository.find(name).orElseThrow(() -> new NotFoundException("no site named " + name));
    }

    private Site manual(String name) {
        var site = site(name);
        if (!Site.MANUAL.equals(site.kind())) {
            throw new ConflictException("site " + name + " is of kind " + site.kind() + ": only manual sites have a token");
        }
        return site;
    }

    private SiteStatus status(Site site) {
        int queued = 0;
        int running = 0;
        int slots = 0;
        for (var pilot : pilots.aliveOf(site.name())) {
            if (SUBMITTED.equals(pilot.state())) {
                queued++;
            } else {
                running++;
            }
            slots += pilot.slots() != null ? pilot.slots() : site.limits().slotsPerPilot();
        }
        return new SiteStatus(site, queued, running, slots);
    }

    /** The site with the change applied, every field checked; the settings as the engine checks them. */
    private Site checked(Site site, SiteChange change) {
        var problems = new ArrayList<FieldProblem>();
        var old = site.limits();
        int maxQueued = bounded(change.maxQueued(), old.maxQueued(), "maxQueued", 0, 10_000, problems);
        int maxRunning = bounded(change.maxRunning(), old.maxRunning(), "maxRunning", 0, 100_000, problems);
        int maxSlots = bounded(change.maxSlots(), old.maxSlots(), "maxSlots", 1, 10_000_000, problems);
        int slotsPerPilot = bounded(change.slotsPerPilot(), old.slotsPerPilot(), "slotsPerPilot", 1, 4096, problems);
        Long memory = change.memoryMbPerPilot() != null ? change.memoryMbPerPilot() : old.memoryMbPerPilot();
        if (memory != null && memory < 1) {
            problems.add(new FieldProblem("memoryMbPerPilot", "memoryMbPerPilot must be at least 1 (MB), got " + memory));
        }
        if (slotsPerPilot > maxSlots) {
            problems.add(new FieldProblem("maxSlots", "maxSlots (" + maxSlots + ") is less than one pilot's slots ("
                    + slotsPerPilot + ")"));
        }
        List<String> tags = change.tags() != null ? change.tags() : site.tags();
        for (String tag : tags) {
            if (tag == null || !TAG.matcher(tag).matches()) {
                problems.add(new FieldProblem("tags", "a tag is 1 to 64 of letters, digits, '.', '_' and '-', got '" + tag + "'"));
            }
        }
        Map<String, String> settings = change.settings() != null ? change.settings() : site.settings();
        for (var entry : settings.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                problems.add(new FieldProblem("settings", "a setting needs a name and a value (a string)"));
            }
        }
        if (problems.isEmpty() && (change.settings() != null || change.kind() != null)) {
            try {
                kinds.check(site.name(), site.kind(), settings);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("settings", e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("Invalid site", problems.get(0).message(), problems);
        }
        boolean enabled = change.enabled() != null ? change.enabled() : site.enabled();
        return site.with(enabled, settings, new Site.Limits(maxQueued, maxRunning, maxSlots, slotsPerPilot, memory),
                tags.stream().distinct().toList());
    }

    private static int bounded(Integer value, int otherwise, String field, int min, int max, List<FieldProblem> problems) {
        if (value == null) {
            return otherwise;
        }
        if (value < min || value > max) {
            problems.add(new FieldProblem(field, field + " must be from " + min + " to " + max + ", got " + value));
        }
        return value;
    }

    private static String describe(SiteChange change) {
        var parts = new ArrayList<String>();
        if (change.enabled() != null) {
            parts.add(change.enabled() ? "enabled" : "disabled");
        }
        if (change.settings() != null) {
            parts.add("settings " + new TreeSet<>(change.settings().keySet()));
        }
        if (change.maxQueued() != null || change.maxRunning() != null || change.maxSlots() != null
                || change.slotsPerPilot() != null || change.memoryMbPerPilot() != null) {
            parts.add("limits");
        }
        if (change.tags() != null) {
            parts.add("tags " + change.tags());
        }
        return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
    }
}
