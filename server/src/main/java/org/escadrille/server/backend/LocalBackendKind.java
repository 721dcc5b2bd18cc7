package org.escadrille.server.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.stereotype.Component;

/** The {@code local} kind: pilots as child processes of the server ({@link LocalBackend}). */
@Component
public class LocalBackendKind implements BackendKind {
    private static final Map<String, String> SETTINGS = Map.of(
            "jvm-options", "extra JVM options of the pilots (default: escadrille.local.pilot-jvm-options)");

    private final EscadrilleProperties properties;

    LocalBackendKind(EscadrilleProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Map<String, String> settings() {
        return SETTINGS;
    }

    @Override
    public Backend open(SiteConfig site) {
        site.onlyKnown(SETTINGS.keySet());
        // Tags and the sandbox mode come with each launch's options, chosen by the factory for the site.
        return new LocalBackend(site.string("jvm-options", properties.local().pilotJvmOptions()), List.of(), "auto",
                // The tools (programs and the jars beside them) and the JDK that runs the Java ones.
                List.of(properties.toolsDir(), Path.of(System.getProperty("java.home"))));
    }
}
