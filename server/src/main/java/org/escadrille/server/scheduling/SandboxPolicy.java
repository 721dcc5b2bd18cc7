package org.escadrille.server.scheduling;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.escadrille.server.EscadrilleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Which pilots may get tasks: outside a one-user installation ({@code escadrille.security.single-user}),
 * only those that run their tasks in a sandbox. On a pilot without one, a tool runs as the pilot's
 * user and reads what it can: the data directory with the admin's key, every user's files, other
 * pilots' tokens in {@code /proc}.
 */
@Component
class SandboxPolicy {
    private static final Logger log = LoggerFactory.getLogger(SandboxPolicy.class);
    static final String ADVICE = "tasks need bubblewrap: apt-get install bubblewrap (Debian/Ubuntu) on the pilots' hosts, "
            + "or set escadrille.security.single-user=true for a one-user installation";

    private final EscadrilleProperties properties;
    private final PilotRegistry pilots;
    private final Set<String> refusedPilots = ConcurrentHashMap.newKeySet();

    SandboxPolicy(EscadrilleProperties properties, PilotRegistry pilots) {
        this.properties = properties;
        this.pilots = pilots;
    }

    /** Says at start which pilots get tasks, and loudly when this host's own pilots will get none. */
    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        if (properties.security().singleUser()) {
            log.info("one-user installation (escadrille.security.single-user=true): tasks may also run on pilots "
                    + "without a sandbox");
            return;
        }
        log.info("tasks run only on pilots that sandbox them (bubblewrap)");
        if (properties.local().enabled() && !"none".equals(properties.security().localPilotSandbox()) && !bwrapOnPath()) {
            log.warn("bubblewrap (bwrap) is not installed on this host: its local pilots will get no task. {}", ADVICE);
        } else if (properties.local().enabled() && "none".equals(properties.security().localPilotSandbox())) {
            log.warn("escadrille.security.local-pilot-sandbox=none: local pilots will get no task. {}", ADVICE);
        }
    }

    /** Called on each registration: a pilot that will get no task is said once, when it arrives. */
    void registered(String pilotId, String host, boolean sandboxed) {
        refusedPilots.remove(pilotId);
        if (!sandboxed && !properties.security().singleUser()) {
            log.warn("pilot {} on {} does not sandbox its tasks: it gets no task. {}", pilotId, host, ADVICE);
        }
    }

    /** Whether the pilot may be given tasks; the first refusal of each pilot is logged. */
    boolean mayRunTasks(String pilotId) {
        if (properties.security().singleUser() || pilots.sandboxed(pilotId)) {
            return true;
        }
        if (refusedPilots.add(pilotId)) {
            log.info("no task for pilot {}: it does not sandbox its tasks ({})", pilotId, ADVICE);
        }
        return false;
    }

    private static boolean bwrapOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "bwrap"))) {
                return true;
            }
        }
        return false;
    }
}
