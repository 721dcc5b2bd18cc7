package org.escadrille.server.scheduling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.stereotype.Component;

/** The pilot's jar, bundled in the server: copied out once per data directory for the engines that start pilots. */
@Component
public class PilotJar {
    static final String RESOURCE = "/bundled/escadrille-pilot.jar";

    private final Path target;
    private volatile boolean installed;

    PilotJar(EscadrilleProperties properties) {
        this.target = properties.dataDir().resolve("pilot").resolve("escadrille-pilot.jar");
    }

    /** The jar on this machine's disk, installed on first use. */
    public synchronized Path path() {
        if (installed) {
            return target;
        }
        try (InputStream in = open()) {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "pilot", ".jar");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the pilot jar in " + target, e);
        }
        installed = true;
        return target;
    }

    /** The bundled jar's bytes. */
    InputStream open() {
        InputStream in = PilotJar.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the pilot jar is not bundled in this build: build with ./mvnw package");
        }
        return in;
    }
}
