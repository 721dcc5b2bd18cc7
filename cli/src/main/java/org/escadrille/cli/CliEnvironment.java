package org.escadrille.cli;

import java.io.Console;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.escadrille.cli.embedded.EmbeddedServer;
import org.escadrille.cli.transfer.DirectUploader;

/**
 * What the commands take from the world around them: environment variables, directories, whether
 * stderr is a terminal, time, and how to start an embedded gateway. Tests build their own.
 *
 * @param embeddedStarter starts a gateway on a data directory (the embedded mode)
 */
public record CliEnvironment(Map<String, String> variables, Path workingDir, Path home, boolean interactive,
        Clock clock, Duration pollInterval, URI defaultUrl, Function<Path, Endpoint> embeddedStarter) {
    public static final URI DEFAULT_URL = URI.create("http://localhost:8080");
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(400);
    /** A bound on the connections one command opens to the store; stores throttle clients long before it. */
    static final int MAX_PARTS_IN_FLIGHT = 32;

    public CliEnvironment {
        variables = Map.copyOf(variables);
        workingDir = workingDir.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
    }

    /** The real process: its environment, current directory, console and an {@link EmbeddedServer} when asked. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(""), Path.of(System.getProperty("user.home")),
                stderrLooksLikeTerminal(), Clock.systemDefaultZone(), DEFAULT_POLL_INTERVAL, DEFAULT_URL,
                dataDir -> {
                    EmbeddedServer server = EmbeddedServer.start(dataDir, 0);
                    return new Endpoint(server.url(), server.apiKey(), server);
                });
    }

    /** An environment variable, or null when unset or blank. */
    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * How many parts of an upload straight to the storage (S3) are sent at once, and how many ranges of a large
     * download are fetched at once: {@code $ESCADRILLE_PARTS_IN_FLIGHT}, else
     * {@link DirectUploader#DEFAULT_PARTS_IN_FLIGHT}.
     */
    public int partsInFlight() {
        String value = variable("ESCADRILLE_PARTS_IN_FLIGHT");
        if (value == null) {
            return DirectUploader.DEFAULT_PARTS_IN_FLIGHT;
        }
        try {
            int parts = Integer.parseInt(value);
            if (parts >= 1 && parts <= MAX_PARTS_IN_FLIGHT) {
                return parts;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new UsageException("ESCADRILLE_PARTS_IN_FLIGHT must be a whole number from 1 to " + MAX_PARTS_IN_FLIGHT
                + ", not '" + value + "'");
    }

    /** A path the user gave, relative to the working directory. */
    public Path resolve(Path path) {
        return workingDir.resolve(path).toAbsolutePath().normalize();
    }

    private static boolean stderrLooksLikeTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 System.console() exists even when redirected, and Console.isTerminal() tells;
        // called reflectively because this code compiles for Java 21, where a non-null console is a terminal.
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
