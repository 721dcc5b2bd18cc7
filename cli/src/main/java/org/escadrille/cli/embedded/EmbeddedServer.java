package org.escadrille.cli.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A gateway started inside the CLI's own JVM, for {@code --embedded} runs and for commands that
 * find no server: same database and storage as {@code escadrille serve} on the same data directory,
 * on a free loopback port, with local pilots. It is one person's server on their own machine
 * ({@code escadrille.security.single-user}): its tasks run in a sandbox where bubblewrap works, and
 * still run where it is not installed.
 */
public final class EmbeddedServer implements AutoCloseable {
    private final URI url;
    private final String apiKey;
    private final ConfigurableApplicationContext context;

    private EmbeddedServer(URI url, String apiKey, ConfigurableApplicationContext context) {
        this.url = url;
        this.apiKey = apiKey;
        this.context = context;
    }

    /**
     * Starts a server on a free loopback port with its data under {@code dataDir}, and {@code slots}
     * local pilot slots (0: one per core). Blocks until it answers.
     *
     * @throws IllegalStateException with a readable reason when it cannot start
     */
    public static EmbeddedServer start(Path dataDir, int slots) {
        ConfigurableApplicationContext context;
        try {
            context = ServerLauncher.start(dataDir, 0, "127.0.0.1", slots, true,
                    List.of("--escadrille.security.single-user=true"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded server: " + ServerLauncher.explain(e, dataDir), e);
        }
        String port = context.getEnvironment().getProperty("local.server.port");
        return new EmbeddedServer(URI.create("http://127.0.0.1:" + port), ServerLauncher.adminKey(dataDir), context);
    }

    public URI url() {
        return url;
    }

    /** The API key of the data directory's first admin. */
    public String apiKey() {
        return apiKey;
    }

    @Override
    public void close() {
        context.close();
    }
}
