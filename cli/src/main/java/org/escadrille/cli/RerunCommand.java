package org.escadrille.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
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
 * {@code escadrille rerun CRATE.zip}: a replay of what a Workflow Run RO-Crate records (docs/provenance.md).
 */
@Command(name = "rerun", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs an execution again: the same application version and inputs. With --failed, only its "
                + "failed and cancelled tasks run; the tasks that succeeded reuse their outputs.",
            "Given a crate.zip (escadrille get ID --crate), replays what it records: the same descriptor version, "
                + "the same input files (checked by SHA-256) and, for Monte-Carlo, the same seeds and shares."})
final class RerunCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID|CRATE", description = "An execution's id, or a Workflow Run RO-Crate (.zip).")
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
        boolean crate = CrateFile.named(id, env);
        if (crate && failed) {
            throw new UsageException("--failed re-runs an execution's failed tasks: give its id, not a crate");
        }
        byte[] metadata = crate ? CrateFile.metadata(env.resolve(Path.of(id))) : null;
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            Reply<Execution> rerun = crate ? connection.client().replay(metadata) : connection.client().rerun(id, failed);
            var execution = rerun.value();
            out.println(global.json()
                    ? rerun.prettyJson()
                    : "Launched " + execution.id() + " (" + (crate ? "a replay of " : failed ? "the failed tasks of " : "again: ") + id + ", "
                    + execution.tasks().total() + " task(s)); follow it with: escadrille status " + execution.id());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
