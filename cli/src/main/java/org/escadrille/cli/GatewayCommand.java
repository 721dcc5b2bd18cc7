package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.GatewayClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that connects to the gateway, asks it what it has to and prints the answer: what the
 * {@code sites} and {@code groups} subcommands share.
 */
abstract class GatewayCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    private final CliEnvironment env;

    GatewayCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            run(connection.client(), out);
            out.flush();
            return ExitCodes.OK;
        }
    }

    abstract void run(GatewayClient client, PrintWriter out);
}
