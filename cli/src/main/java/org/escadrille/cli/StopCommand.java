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

/**
 * {@code escadrille stop}: a Monte-Carlo run's stop and merge. Unlike {@code kill}, what the tasks
 * simulated is kept: they stop, and their partial results are merged as for a normal end.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Stops a Monte-Carlo run now and merges what its tasks simulated so far (kill throws it away).")
final class StopCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "A Monte-Carlo execution's id.")
    private String id;

    private final CliEnvironment env;

    StopCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            Reply<Execution> stopped = connection.client().stop(id);
            Execution execution = stopped.value();
            out.println(global.json()
                    ? stopped.prettyJson()
                    : execution.status() + " " + execution.id()
                            + (execution.ended() ? "" : " (its tasks are stopping; what they simulated will be merged)"));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
