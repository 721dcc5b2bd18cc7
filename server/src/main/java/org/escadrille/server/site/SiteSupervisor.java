package org.escadrille.server.site;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.SiteConfig;
import org.escadrille.server.scheduling.PilotRegistry.PilotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One site's pilots, one round at a time: notices pilots its engine no longer lists, and starts new
 * ones. The local site keeps its configured pilots alive at all times; an elastic site gets pilots only
 * for queued tasks it can run, within its limits and the round's submission budget, and is backed off
 * exponentially while its submissions fail or its pilots die before registering. A disabled site gets
 * no pilot, and those still waiting in its engine are cancelled (the running ones drain).
 */
final class SiteSupervisor {
    private static final Logger log = LoggerFactory.getLogger(SiteSupervisor.class);
    private static final String SUBMITTED = "SUBMITTED";

    /**
     * @param submissionsPerRound most pilots an elastic site gets per round
     * @param idleTimeout         how long an elastic site's pilots wait without work, unless it says
     * @param backoff             the wait after a site's first failure, doubled at each further one
     * @param maxBackoff          the longest wait
     * @param silentAfter         a manual pilot not heard from for this long is taken for gone
     */
    record Rules(int submissionsPerRound, Duration idleTimeout, Duration backoff, Duration maxBackoff, Duration silentAfter) {
    }

    private final Backend backend;
    private final Map<String, String> openedWith;
    private final Rules rules;
    private final Clock clock;
    private final Set<String> known = new HashSet<>();
    private final Set<String> registered = new HashSet<>();
    private boolean seeded;

    SiteSupervisor(Backend backend, Map<String, String> openedWith, Rules rules, Clock clock) {
        this.backend = backend;
        this.openedWith = Map.copyOf(openedWith);
        this.rules = rules;
        this.clock = clock;
    }

    /** The backend (null for a manual site). */
    Backend backend() {
        return backend;
    }

    /** Whether this supervisor's backend was opened with these settings (else it is opened again). */
    boolean openedWith(Map<String, String> settings) {
        return openedWith.equals(settings);
    }

    /** Whether this server started the pilot and its engine still lists it. */
    boolean started(String pilotId) {
        return backend != null && backend.active().contains(pilotId);
    }

    /**
     * One round for the site.
     *
     * @param alive  the site's pilots that have not ended, as the registry has them
     * @param demand the queued tasks no site before this one in the round has claimed; this site's
     *               pilots claim theirs
     * @return the site's health after the round
     */
    Site.Health round(Site site, List<PilotInfo> alive, Demand demand, PilotBook book) {
        Instant now = clock.instant();
        Site.Health health = site.health();
        var stillAlive = new ArrayList<PilotInfo>();
        if (backend != null) {
            if (!seeded && site.elastic()) {
                // After a restart the engine still runs the pilots an earlier server process submitted.
                alive.forEach(pilot -> known.add(pilot.id()));
            }
            seeded = true;
            Set<String> active = backend.active();
            for (String gone : known) {
                if (!active.contains(gone)) {
                    PilotInfo pilot = find(alive, gone);
                    log.info("pilot {} of site {} is gone", gone, site.name());
                    if (pilot != null && SUBMITTED.equals(pilot.state())) {
                        health = failed(site, health, "pilot " + gone + " ended before it registered", now);
                    }
                    book.gone(gone, "died");
                }
            }
            known.retainAll(active);
            alive.stream().filter(pilot -> known.contains(pilot.id())).forEach(stillAlive::add);
        } else {
            for (PilotInfo pilot : alive) {
                long heard = pilot.lastHeartbeatAtMs() != null ? pilot.lastHeartbeatAtMs() : pilot.createdAtMs();
                if (now.toEpochMilli() - heard > rules.silentAfter().toMillis()) {
                    log.info("pilot {} of site {} has not been heard from since {}", pilot.id(), site.name(), Instant.ofEpochMilli(heard));
                    book.gone(pilot.id(), "silent");
                } else {
                    stillAlive.add(pilot);
                }
            }
        }
        for (PilotInfo pilot : stillAlive) {
            if (!SUBMITTED.equals(pilot.state()) && registered.add(pilot.id()) && !health.healthy()) {
                log.info("site {} is healthy again: pilot {} registered", site.name(), pilot.id());
                health = new Site.Health(health.lastSubmissionAt(), 0, null, health.lastError(), null);
            }
        }
        registered.retainAll(stillAlive.stream().map(PilotInfo::id).toList());
        if (backend == null) {
            return health;
        }
        if (!site.enabled()) {
            for (PilotInfo pilot : stillAlive) {
                if (SUBMITTED.equals(pilot.state())) {
                    log.info("site {} is disabled: pilot {} leaves its queue", site.name(), pilot.id());
                    backend.cancel(pilot.id());
                    known.remove(pilot.id());
                    book.gone(pilot.id(), "site disabled");
                }
            }
            return health;
        }
        int wanted = site.elastic() ? elasticDemand(site, stillAlive, demand, health, now)
                : site.limits().maxRunning() - known.size();
        for (int i = 0; i < wanted; i++) {
            var credentials = book.mint(site);
            try {
                backend.submit(book.launch(credentials, site, options(site)));
                known.add(credentials.pilotId());
                health = new Site.Health(now, health.consecutiveFailures(), health.failingSince(), health.lastError(),
                        health.backoffUntil());
            } catch (IOException | RuntimeException e) {
                log.warn("site {}: could not submit a pilot: {}", site.name(), e.getMessage());
                book.gone(credentials.pilotId(), "not submitted");
                health = failed(site, health, e.getMessage() == null ? e.toString() : e.getMessage(), now);
                break;
            }
        }
        return health;
    }

    /**
     * How many pilots an elastic site gets this round: enough for the queued tasks it can run that no
     * site before it claimed, less its pilots still waiting in the engine, within its limits. Its
     * waiting pilots and the new ones claim their tasks from {@code demand}, so the sites after it see
     * only the rest (a site backed off or at its limits leaves the rest to them).
     */
    private int elasticDemand(Site site, List<PilotInfo> alive, Demand demand, Site.Health health, Instant now) {
        int waiting = (int) alive.stream().filter(pilot -> SUBMITTED.equals(pilot.state())).count();
        if (health.backoffUntil() != null && now.isBefore(health.backoffUntil())) {
            demand.claim(site, waiting);
            return 0;
        }
        var limits = site.limits();
        int slots = alive.stream().mapToInt(pilot -> pilot.slots() != null ? pilot.slots() : limits.slotsPerPilot()).sum();
        int forTheWork = demand.pilotsFor(site);
        int wanted = Math.min(limits.maxQueued() - waiting, forTheWork - waiting);
        wanted = Math.min(wanted, limits.maxRunning() - alive.size());
        wanted = Math.min(wanted, (limits.maxSlots() - slots) / limits.slotsPerPilot());
        wanted = Math.max(0, Math.min(wanted, rules.submissionsPerRound()));
        demand.claim(site, waiting + wanted);
        return wanted;
    }

    /** The pilot options the factory chooses for the site's pilots. */
    List<String> options(Site site) {
        var options = new ArrayList<String>();
        if (!site.tags().isEmpty()) {
            options.addAll(List.of("--tags", String.join(",", site.tags())));
        }
        if (site.elastic()) {
            var config = new SiteConfig(site.name(), site.settings());
            options.addAll(List.of("--idle-timeout", Long.toString(config.duration("idle-timeout", rules.idleTimeout()).toSeconds())));
            config.optional("time-limit").ifPresent(limit -> options.addAll(List.of("--time-limit",
                    Long.toString(config.duration("time-limit", Duration.ZERO).toSeconds()))));
        }
        if (site.limits().memoryMbPerPilot() != null) {
            options.addAll(List.of("--memory-mb", Long.toString(site.limits().memoryMbPerPilot())));
        }
        String sandbox = site.settings().get("sandbox");
        if (sandbox != null && !sandbox.isBlank()) {
            options.addAll(List.of("--sandbox", sandbox.strip()));
        }
        return options;
    }

    private Site.Health failed(Site site, Site.Health health, String error, Instant now) {
        int failures = health.consecutiveFailures() + 1;
        Instant until = null;
        if (site.elastic()) {
            // Doubling from the first failure, capped; 2^20 is past any cap in use.
            Duration wait = rules.backoff().multipliedBy(1L << Math.min(failures - 1, 20));
            until = now.plus(wait.compareTo(rules.maxBackoff()) > 0 ? rules.maxBackoff() : wait);
        }
        return new Site.Health(health.lastSubmissionAt(), failures, health.failingSince() != null ? health.failingSince() : now,
                error, until);
    }

    private static PilotInfo find(List<PilotInfo> pilots, String id) {
        return pilots.stream().filter(pilot -> pilot.id().equals(id)).findFirst().orElse(null);
    }
}
