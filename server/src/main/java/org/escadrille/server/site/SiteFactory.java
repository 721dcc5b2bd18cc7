package org.escadrille.server.site;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.LocalBackend;
import org.escadrille.server.backend.PilotLaunch;
import org.escadrille.server.scheduling.PilotDrain;
import org.escadrille.server.scheduling.PilotJar;
import org.escadrille.server.scheduling.PilotRegistry;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.scheduling.TaskNeeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The pilot factory: every two seconds, one round over every site ({@link SiteSupervisor}): its
 * backend opened (and kept until its settings change), its vanished pilots marked ended, new ones
 * started where the site's rules say, its health written. It never knows an engine: each site's kind
 * opens its own. Also says which pilots drain: those of a disabled site, and local pilots of an
 * earlier server process (they finish what they run, then leave; this server keeps its own), and those an
 * admin drained or stopped.
 */
@Component
public class SiteFactory implements PilotDrain {
    private static final Logger log = LoggerFactory.getLogger(SiteFactory.class);
    private static final int LOG_BYTES = 64 * 1024;

    private final SiteRepository repository;
    private final SiteKinds kinds;
    private final SiteService service;
    private final PilotRegistry pilots;
    private final Scheduler scheduler;
    private final PilotJar jar;
    private final EscadrilleProperties properties;
    private final Environment environment;
    private final Clock clock;
    private final SiteSupervisor.Rules rules;
    private final Map<String, SiteSupervisor> supervisors = new ConcurrentHashMap<>();
    private final UnmatchedWork unmatched = new UnmatchedWork();
    /** Pilots an admin drained or stopped; in memory only: a server restart forgets the order. */
    private final Set<String> drainOrdered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Boolean> enabled = Map.of();
    private volatile boolean ready;

    SiteFactory(SiteRepository repository, SiteKinds kinds, SiteService service, PilotRegistry pilots, Scheduler scheduler,
                PilotJar jar, EscadrilleProperties properties, Environment environment, Clock clock) {
        this.repository = repository;
        this.kinds = kinds;
        this.service = service;
        this.pilots = pilots;
        this.scheduler = scheduler;
        this.jar = jar;
        this.properties = properties;
        this.environment = environment;
        this.clock = clock;
        var sites = properties.sites();
        this.rules = new SiteSupervisor.Rules(sites.submissionsPerRound(), sites.idleTimeout(), sites.backoff(),
                sites.maxBackoff(), properties.pilots().sessionTokenLifetime());
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        service.syncLocalSite();
        ready = true;
        round();
    }

    @EventListener(ContextClosedEvent.class)
    void stop() {
        ready = false;
        localBackend().ifPresent(local -> local.stopAll(5_000));
        supervisors.values().stream().map(SiteSupervisor::backend).filter(b -> b != null).forEach(Backend::close);
    }

    @Scheduled(fixedDelay = 2_000)
    synchronized void round() {
        if (!ready) {
            return;
        }
        List<Site> sites = repository.all();
        var flags = new HashMap<String, Boolean>();
        sites.forEach(site -> flags.put(site.name(), site.enabled()));
        enabled = Map.copyOf(flags);
        Map<TaskNeeds, Integer> queued = scheduler.queuedByNeeds();
        var demand = new Demand(queued);
        var book = new Book();
        var running = new ArrayList<Site>();
        for (Site site : sites) {
            if (Site.LOCAL.equals(site.kind()) && !properties.local().enabled()) {
                continue;
            }
            if (site.enabled()) {
                running.add(site);
            }
            try {
                var supervisor = supervisor(site);
                var health = supervisor.round(site, pilots.aliveOf(site.name()), demand, book);
                if (!health.equals(site.health())) {
                    repository.health(site.name(), health);
                }
            } catch (IllegalArgumentException e) {
                // The settings an engine accepted once no longer open it (an engine missing from this build).
                if (!e.getMessage().equals(site.health().lastError())) {
                    log.warn("site {} cannot be opened: {}", site.name(), e.getMessage());
                    var health = site.health();
                    repository.health(site.name(), new Site.Health(health.lastSubmissionAt(), Math.max(1, health.consecutiveFailures()),
                            health.failingSince() != null ? health.failingSince() : clock.instant(), e.getMessage(), null));
                }
            }
        }
        supervisors.keySet().retainAll(flags.keySet());
        unmatched.update(queued, running);
    }

    /**
     * Queued work that no enabled site can run, one line per kind of task with the reason (no site
     * with its tags, its cores per pilot, or its memory per pilot), as of the last round.
     */
    public List<String> unmatchedWork() {
        return unmatched.warnings().stream().map(UnmatchedWork.Warning::text).toList();
    }

    @Override
    public boolean shouldDrain(String pilotId) {
        if (drainOrdered.contains(pilotId)) {
            return true;
        }
        var site = pilots.siteOf(pilotId);
        if (site.isPresent() && !enabled.getOrDefault(site.get(), true)) {
            return true;
        }
        if (!properties.local().enabled()) {
            return false;
        }
        // A local pilot this server did not start: a child of an earlier server process that died.
        var local = supervisors.get(Site.LOCAL);
        return pilots.backendOf(pilotId).filter(Site.LOCAL::equals).isPresent() && (local == null || !local.started(pilotId));
    }

    /** The local site's backend, when it runs (fault tests kill its pilots). */
    public Optional<LocalBackend> localBackend() {
        return Optional.ofNullable(supervisors.get(Site.LOCAL)).map(SiteSupervisor::backend)
                .filter(LocalBackend.class::isInstance).map(LocalBackend.class::cast);
    }

    /** The end of a pilot's own output (its batch job's, its process's), as its site's engine keeps it. */
    public Optional<String> pilotLog(String pilotId) {
        return pilots.siteOf(pilotId).map(supervisors::get).map(SiteSupervisor::backend)
                .flatMap(backend -> backend.log(pilotId, LOG_BYTES));
    }

    private SiteSupervisor supervisor(Site site) {
        var current = supervisors.get(site.name());
        if (current != null && current.openedWith(site.settings())) {
            return current;
        }
        if (current != null && current.backend() != null) {
            current.backend().close();
        }
        var opened = new SiteSupervisor(kinds.open(site), site.settings(), rules, clock);
        supervisors.put(site.name(), opened);
        return opened;
    }

    /** The registry and the scheduler, as the supervisors see them. */
    private final class Book implements PilotBook {
        @Override
        public PilotRegistry.Credentials mint(Site site) {
            return pilots.mint(site.kind(), site.name());
        }

        @Override
        public PilotLaunch launch(PilotRegistry.Credentials credentials, Site site, List<String> options) {
            return new PilotLaunch(credentials.pilotId(), credentials.token(), serverUrl(), jar.path(),
                    site.limits().slotsPerPilot(), properties.dataDir().resolve("pilots").resolve(credentials.pilotId()),
                    // Local pilots' tasks find the installed tools; elsewhere a pilot's own PATH holds.
                    site.elastic() ? null : localTaskPath(), options);
        }

        @Override
        public void gone(String pilotId, String why) {
            pilots.ended(pilotId);
            scheduler.pilotGone(pilotId, why);
        }
    }

    private String serverUrl() {
        if (!properties.publicUrl().isEmpty()) {
            return properties.publicUrl();
        }
        return "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
    }

    private String localTaskPath() {
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        String system = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return properties.toolsDir().resolve("bin") + File.pathSeparator + javaBin + File.pathSeparator + system;
    }

    /**
     * An admin drains a pilot: it finishes its running tasks, leases no more and exits (a local pilot is
     * replaced, as the local site keeps its pilots).
     *
     * @throws NotFoundException for a pilot that is unknown or has ended
     */
    public void drain(String pilotId) {
        requireAlive(pilotId);
        drainOrdered.add(pilotId);
        log.info("pilot {} drains: an admin asked", pilotId);
    }

    /**
     * An admin stops a pilot: its tasks go back to the queue now (their attempts lost) and it drains, so
     * that its next heartbeat has it abandon them and leave.
     *
     * @throws NotFoundException for a pilot that is unknown or has ended
     */
    public void stop(String pilotId) {
        requireAlive(pilotId);
        drainOrdered.add(pilotId);
        scheduler.pilotGone(pilotId, "stopped by an admin");
    }

    private void requireAlive(String pilotId) {
        boolean alive = pilots.siteOf(pilotId)
                .filter(site -> pilots.aliveOf(site).stream().anyMatch(pilot -> pilot.id().equals(pilotId))).isPresent();
        if (!alive) {
            throw new NotFoundException("no pilot " + pilotId + " running or waiting to start (it may have ended)");
        }
    }
}
