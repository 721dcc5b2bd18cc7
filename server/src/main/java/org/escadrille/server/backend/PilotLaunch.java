package org.escadrille.server.backend;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a backend needs to start one pilot: its identity and token (handed over in its environment,
 * never on its command line), the server it reports to, its jar and its slots.
 *
 * @param taskPath the PATH its tasks see
 */
public record PilotLaunch(String pilotId, String token, String serverUrl, Path pilotJar, int slots, Path workDir,
                          String taskPath) {
    public PilotLaunch {
        Objects.requireNonNull(pilotId, "pilotId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(pilotJar, "pilotJar");
        if (slots < 1) {
            throw new IllegalArgumentException("a pilot needs at least one slot");
        }
    }
}
