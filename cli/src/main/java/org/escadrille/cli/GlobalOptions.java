package org.escadrille.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every client command takes: where the gateway is, the key, the data directory, and {@code --json}. */
public final class GlobalOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "The gateway (default: $ESCADRILLE_URL, else http://localhost:8080, else the embedded mode"
                    + " when nothing listens there).")
    private String url;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "The API key (default: $ESCADRILLE_API_KEY, else the contents of DIR/admin.key).")
    private String apiKey;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The data directory of the embedded mode and of admin.key"
                    + " (default: $ESCADRILLE_DATA_DIR, else ~/.escadrille).")
    private Path dataDir;

    @Option(names = "--embedded",
            description = "Start a gateway inside this process on the data directory, for this command only.")
    private boolean embedded;

    @Option(names = "--json", description = "Print the API's JSON on stdout, and nothing else there.")
    private boolean json;

    public String url() {
        return url;
    }

    public String apiKey() {
        return apiKey;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean embedded() {
        return embedded;
    }

    public boolean json() {
        return json;
    }
}
