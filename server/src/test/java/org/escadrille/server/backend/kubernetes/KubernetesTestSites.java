package org.escadrille.server.backend.kubernetes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.escadrille.server.backend.PilotLaunch;
import org.escadrille.server.backend.SiteConfig;

/** Sites and launches shared by the Kubernetes backend's tests. */
final class KubernetesTestSites {
    static final String NAMESPACE = "science";
    static final String TOKEN = "registration-token-4f1c9e0b7d";

    private KubernetesTestSites() {
    }

    static KubernetesSettings settings(Map<String, String> settings) {
        return KubernetesSettings.from(new SiteConfig("cluster", settings));
    }

    static KubernetesSettings defaults() {
        return settings(Map.of("namespace", NAMESPACE));
    }

    /** A launch with what the factory gives: extra pilot options, and a PATH and directories of the server's machine. */
    static PilotLaunch launch(String pilotId) {
        return new PilotLaunch(pilotId, TOKEN, "https://gateway.example.org", Path.of("/srv/escadrille/pilot.jar"), 2,
                Path.of("/srv/escadrille/pilots", pilotId), "/usr/bin:/bin", List.of("--idle-timeout", "300"));
    }
}
