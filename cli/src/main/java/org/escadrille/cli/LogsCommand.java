package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.LogChunk;
import org.escadrille.cli.api.UnreachableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code escadrille logs}: prints a task's output, following it while the task runs. */
@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prints a task's stdout (or stderr) on stdout, and keeps printing while the task runs.")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "An execution's id.")
    private String id;

    @Option(names = "--task", paramLabel = "TASKID",
            description = "Which task (default: the execution's first; `escadrille status ID` lists them).")
    private String task;

    @Option(names = "--stderr", description = "The task's stderr instead of its stdout.")
    private boolean stderr;

    @Option(names = "--no-follow", description = "Print what there is now and return, even if the task runs.")
    private boolean noFollow;

    private final CliEnvironment env;

    LogsCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            GatewayClient client = connection.client();
            LogDecoder decoder = new LogDecoder();
            long offset = 0;
            while (true) {
                LogChunk chunk = client.log(id, task, stderr, offset);
                out.print(decoder.decode(chunk.bytes()));
                out.flush();
                offset = chunk.nextOffset();
                if (chunk.complete() || (noFollow && chunk.bytes().length == 0)) {
                    break;
                }
                if (chunk.bytes().length == 0) {
                    pause(client);
                }
            }
            out.print(decoder.finish());
            out.flush();
            return ExitCodes.OK;
        }
    }

    private void pause(GatewayClient client) {
        try {
            Thread.sleep(env.pollInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UnreachableException.interrupted(client.baseUrl());
        }
    }
}
