package org.escadrille.cli.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code escadrille serve}: runs the gateway in the foreground (portal, APIs, local pilots) until
 * interrupted, and says where it is and how to log in.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the gateway: portal, APIs and local pilots, with its data in one directory.",
                "Any further --name=value is passed to the server as a setting, e.g.",
                "  --spring.datasource.url=jdbc:postgresql://db/escadrille (see docs/configuration.md)."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--address", paramLabel = "ADDRESS",
            description = "Address to listen on (default: all interfaces; 127.0.0.1 for this machine only).")
    private String address;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $ESCADRILLE_DATA_DIR or ~/.escadrille).")
    private Path dataDir;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "0", description = "Local pilot slots (default: one per core).")
    private int slots;

    @Unmatched
    private List<String> settings = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        for (String setting : settings) {
            if (!setting.startsWith("--") || !setting.contains("=")) {
                err.println("escadrille serve: unknown argument '" + setting + "'; settings are given as --name=value");
                return 2;
            }
        }
        Path data = dataDir != null ? dataDir : defaultDataDir();
        var stopped = new CountDownLatch(1);
        ConfigurableApplicationContext context;
        try {
            context = ServerLauncher.start(data, port, address, slots, false, settings);
        } catch (RuntimeException e) {
            err.println("escadrille serve: cannot start: " + ServerLauncher.explain(e, data));
            return 3;
        }
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(context::close));
        String actualPort = context.getEnvironment().getProperty("local.server.port");
        out.printf("%nEscadrille is running at http://localhost:%s/%n", actualPort);
        out.printf("  data directory: %s%n", data.toAbsolutePath());
        // where the secrets are, not the secrets: terminals are recorded and shared
        out.printf("  admin API key:  in %s (readable by you only; the CLI reads it there)%n", data.resolve("admin.key"));
        out.printf("  admin password: in %s%n", data.resolve("admin.password"));
        out.printf("Try: ./escadrille run pi events=100000000     Stop with Ctrl-C.%n%n");
        out.flush();
        stopped.await();
        return 0;
    }

    static Path defaultDataDir() {
        String fromEnvironment = System.getenv("ESCADRILLE_DATA_DIR");
        return fromEnvironment != null && !fromEnvironment.isBlank()
                ? Path.of(fromEnvironment)
                : Path.of(System.getProperty("user.home"), ".escadrille");
    }
}
