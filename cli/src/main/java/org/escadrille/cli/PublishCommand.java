package org.escadrille.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.escadrille.boutiques.BoutiquesCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code escadrille apps publish FILE}: validates a Boutiques descriptor here (every problem at once,
 * before any network call), then publishes it. A published version never changes.
 */
@Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Publishes a Boutiques descriptor in the catalogue (roles admin and developer).",
                "It is validated first; a published name and tool-version never change afterwards."})
final class PublishCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The descriptor (JSON).")
    private Path file;

    private final CliEnvironment env;

    PublishCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        Path descriptor = env.resolve(file);
        var problems = BoutiquesCommands.validate(descriptor);
        if (!problems.isEmpty()) {
            var err = spec.commandLine().getErr();
            err.println(descriptor + " is not a valid Boutiques descriptor:");
            problems.forEach(problem -> err.println("  " + problem));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            var published = connection.client().publish(Files.readAllBytes(descriptor));
            var out = spec.commandLine().getOut();
            if (global.json()) {
                out.println(published.prettyJson());
            } else {
                var app = published.value();
                out.printf("Published %s %s (digest %s)%n", app.name(), app.version(), app.digest());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
