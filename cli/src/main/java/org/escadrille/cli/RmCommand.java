package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.GatewayJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code escadrille rm}: deletes an execution (killed first if it runs), and with {@code --files} its outputs. */
@Command(name = "rm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Deletes an execution: it is killed first if it runs, then disappears from your list.",
            "Its outputs stay in your space unless --files is given."})
final class RmCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "An execution's id.")
    private String id;

    @Option(names = "--files", description = "Also delete the execution's folder and every output in it.")
    private boolean files;

    private final CliEnvironment env;

    RmCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            connection.client().delete(id, files);
            out.println(global.json()
                    ? GatewayJson.mapper().writeValueAsString(Map.of("deleted", id, "files", files))
                    : "Deleted " + id + (files ? " and its files" : ""));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
