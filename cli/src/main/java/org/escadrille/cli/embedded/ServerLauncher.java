package org.escadrille.cli.embedded;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.server.EscadrilleServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the gateway in this JVM: the one place where the CLI touches the server module. */
final class ServerLauncher {
    private ServerLauncher() {
    }

    static ConfigurableApplicationContext start(Path dataDir, int port, String address, int slots, boolean quiet,
                                                List<String> extraArguments) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        var arguments = new ArrayList<String>();
        arguments.add("--escadrille.data-dir=" + dataDir.toAbsolutePath());
        arguments.add("--server.port=" + port);
        if (address != null) {
            arguments.add("--server.address=" + address);
        }
        if (slots > 0) {
            arguments.add("--escadrille.local.slots=" + slots);
        }
        if (quiet) {
            // The CLI owns stdout (--json must stay pure JSON): the server logs to a file instead.
            arguments.add("--logging.threshold.console=OFF");
            arguments.add("--logging.file.name=" + dataDir.toAbsolutePath().resolve("logs").resolve("embedded-server.log"));
        }
        arguments.addAll(extraArguments);
        return new SpringApplicationBuilder(EscadrilleServer.class).run(arguments.toArray(String[]::new));
    }

    /** The first admin's API key, which the server leaves in its data directory. */
    static String adminKey(Path dataDir) {
        try {
            return Files.readString(dataDir.resolve("admin.key")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no admin key in " + dataDir + " (admin.key): " + e.getMessage(), e);
        }
    }

    /** A readable cause when the server cannot start, rather than Spring's chain of exceptions. */
    static String explain(Throwable failure, Path dataDir) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("Database may be already in use") || message.contains("lock file")) {
                return "the data directory " + dataDir + " is in use by another Escadrille server; talk to that one "
                        + "(drop --embedded), or use another --data-dir";
            }
            if (message.contains("Address already in use") || cause instanceof BindException) {
                return "the port is already in use: choose another with --port";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
