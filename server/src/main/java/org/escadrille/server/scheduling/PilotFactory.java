package org.escadrille.server.scheduling;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.backend.LocalBackend;
import org.escadrille.server.backend.PilotLaunch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps pilots running: on the local backend, one pilot process holding all the configured slots,
 * started again if it dies. A pilot that vanished is marked ended; its leases expire on their own.
 */
@Component
public class PilotFactory {
    private static final Logger log = LoggerFactory.getLogger(PilotFactory.class);

    private final EscadrilleProperties properties;
    private final PilotRegistry pilots;
    private final Environment environment;
    private final LocalBackend local;
    private final Scheduler scheduler;
    private final Set<String> known = new HashSet<>();
    private volatile boolean ready;
    private Path pilotJar;

    PilotFactory(EscadrilleProperties properties, PilotRegistry pilots, Scheduler scheduler, Environment environment) {
        this.properties = properties;
        this.scheduler = scheduler;
        this.pilots = pilots;
        this.environment = environment;
        this.local = properties.local().enabled() ? new LocalBackend(properties.local().pilotJvmOptions(),
                properties.local().tags(), properties.security().localPilotSandbox(),
                // The tools (programs and the jars beside them) and the JDK that runs the Java ones.
                List.of(properties.toolsDir(), Path.of(System.getProperty("java.home")))) : null;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        ready = true;
        ensurePilots();
    }

    @EventListener(ContextClosedEvent.class)
    void stop() {
        ready = false;
        if (local != null) {
            local.stopAll(5_000);
        }
    }

    @Scheduled(fixedDelay = 2_000)
    synchronized void ensurePilots() {
        if (!ready || local == null) {
            return;
        }
        Set<String> active = local.active();
        for (String gone : known) {
            if (!active.contains(gone)) {
                // Its process is gone: no need to wait for its leases to expire.
                log.info("local pilot {} is gone", gone);
                pilots.ended(gone);
                scheduler.pilotGone(gone, "died");
            }
        }
        known.retainAll(active);
        for (int missing = properties.local().pilots() - active.size(); missing > 0; missing--) {
            var credentials = pilots.mint(local.name());
            var launch = new PilotLaunch(credentials.pilotId(), credentials.token(), serverUrl(), pilotJar(),
                    properties.local().slots(), properties.dataDir().resolve("pilots").resolve(credentials.pilotId()),
                    taskPath());
            try {
                local.submit(launch);
                known.add(credentials.pilotId());
            } catch (IOException e) {
                log.warn("could not start a local pilot: {}", e.getMessage());
                pilots.ended(credentials.pilotId());
            }
        }
    }

    /**
     * Whether a pilot should drain: a local pilot this server did not start (a child of an earlier
     * server process that died) finishes what it runs, then leaves; this server keeps its own.
     */
    public boolean isForeignLocalPilot(String pilotId) {
        return local != null && !local.active().contains(pilotId) && pilots.backendOf(pilotId).filter("local"::equals).isPresent();
    }

    /** The local backend, when enabled (fault tests kill its pilots). */
    public Optional<LocalBackend> localBackend() {
        return Optional.ofNullable(local);
    }

    private String serverUrl() {
        if (!properties.publicUrl().isEmpty()) {
            return properties.publicUrl();
        }
        return "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
    }

    private String taskPath() {
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        String system = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return properties.toolsDir().resolve("bin") + File.pathSeparator + javaBin + File.pathSeparator + system;
    }

    /** The pilot's jar, bundled in the server and copied out once per data directory. */
    private Path pilotJar() {
        if (pilotJar != null) {
            return pilotJar;
        }
        Path target = properties.dataDir().resolve("pilot").resolve("escadrille-pilot.jar");
        try (InputStream in = PilotFactory.class.getResourceAsStream("/bundled/escadrille-pilot.jar")) {
            if (in == null) {
                throw new IllegalStateException("the pilot jar is not bundled in this build: build with ./mvnw package");
            }
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "pilot", ".jar");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the pilot jar in " + target, e);
        }
        pilotJar = target;
        return target;
    }
}
