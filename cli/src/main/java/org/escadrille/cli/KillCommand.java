package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.Reply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code escadrille kill}: stops an execution; its queued tasks never run and running ones are cancelled. */
@Command(name = "kill", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Kills an execution: queued tasks are dropped and running ones cancelled.")
final class KillCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "An execution's id.")
    private String id;

    private final CliEnvironment env;

    KillCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            Reply<Execution> killed = connection.client().kill(id);
            out.println(global.json()
                    ? killed.prettyJson()
                    : killed.value().status() + " " + killed.value().id());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
