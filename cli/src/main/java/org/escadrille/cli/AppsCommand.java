package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.AppSummary;
import org.escadrille.cli.api.Reply;
import org.escadrille.cli.terminal.CatalogueTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code escadrille apps}: the catalogue of applications you may launch. */
@Command(name = "apps", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Lists the applications you may run, with their inputs as id:Type"
                + " ('?' optional, '[]' a list)."})
final class AppsCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    private final CliEnvironment env;

    AppsCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            Reply<List<AppSummary>> apps = connection.client().apps();
            if (global.json()) {
                out.println(apps.prettyJson());
            } else if (apps.value().isEmpty()) {
                out.println("No applications yet.");
            } else {
                out.print(CatalogueTable.render(apps.value()));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
