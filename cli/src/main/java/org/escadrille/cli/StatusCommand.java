package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.Reply;
import org.escadrille.cli.api.Task;
import org.escadrille.cli.terminal.ExecutionReport;
import org.escadrille.cli.terminal.ExecutionTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code escadrille status}: the executions as a table, or one execution with its tasks. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Without ID: your executions, newest first. With ID: that execution and its tasks.",
            "With --json: the API's list of executions, or {\"execution\": {...}, \"tasks\": [...]} for one."})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "An execution's id.")
    private String id;

    private final CliEnvironment env;

    StatusCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            GatewayClient client = connection.client();
            if (id == null) {
                Reply<List<Execution>> executions = client.executions();
                if (global.json()) {
                    out.println(executions.prettyJson());
                } else if (executions.value().isEmpty()) {
                    out.println("No executions yet; launch one with: escadrille run APP name=value ...");
                } else {
                    out.print(ExecutionTable.render(executions.value(), env.clock()));
                }
            } else {
                Reply<Execution> execution = client.execution(id);
                Reply<List<Task>> tasks = client.tasks(id);
                if (global.json()) {
                    ObjectNode both = JsonNodeFactory.instance.objectNode();
                    both.set("execution", execution.json());
                    both.set("tasks", tasks.json());
                    out.println(both.toPrettyString());
                } else {
                    out.print(ExecutionReport.render(execution.value(), tasks.value(), env.clock()));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
