package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.Reply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code escadrille rerun ID [--failed]}: a new execution of the same application version and inputs;
 * with {@code --failed}, only the tasks that failed or were cancelled run, the others reuse their outputs.
 */
@Command(name = "rerun", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs an execution again: the same application version and inputs. With --failed, only its "
                + "failed and cancelled tasks run; the tasks that succeeded reuse their outputs.")
final class RerunCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "An execution's id.")
    private String id;

    @Option(names = "--failed", description = "Run only the tasks that failed or were cancelled; reuse the others' outputs.")
    private boolean failed;

    private final CliEnvironment env;

    RerunCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            Reply<Execution> rerun = connection.client().rerun(id, failed);
            var execution = rerun.value();
            out.println(global.json()
                    ? rerun.prettyJson()
                    : "Launched " + execution.id() + " (" + (failed ? "the failed tasks of " : "again: ") + id + ", "
                    + execution.tasks().total() + " task(s)); follow it with: escadrille status " + execution.id());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
