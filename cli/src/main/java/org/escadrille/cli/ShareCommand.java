package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.ApiPaths;
import org.escadrille.cli.api.GatewayJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code escadrille share ID --group G | --link}: shares one of your executions read-only with one of
 * your groups, or by a link that anyone holding it may open (printed once). {@link Unshare} revokes.
 */
@Command(name = "share", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shares one of your executions read-only: with one of your groups, or by a link.",
                "A link is printed once; anyone who holds it sees the execution and its outputs, signed in or not."})
final class ShareCommand implements Callable<Integer> {

    /** With whom: a group, or a link; exactly one. */
    static final class Target {
        @Option(names = "--group", paramLabel = "GROUP", required = true, description = "One of your groups.")
        String group;

        @Option(names = "--link", required = true, description = "A link (an unguessable URL).")
        boolean link;
    }

    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "An execution's id.")
    private String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    private final CliEnvironment env;

    ShareCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            var json = GatewayJson.mapper();
            var body = target.link ? json.createObjectNode().put("link", true) : json.createObjectNode().put("group", target.group);
            var share = connection.client().json("POST", "executions/" + ApiPaths.segment(id) + "/shares", body);
            if (global.json()) {
                out.println(share.prettyJson());
            } else if (target.link) {
                out.println("Shared " + id + " by a link (shown once; unshare " + id + " --link revokes it):");
                out.println(share.value().path("url").asString());
            } else {
                out.println("Shared " + id + " with " + target.group);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code escadrille unshare ID --group G | --link}: ends a share (every link, with {@code --link}). */
    @Command(name = "unshare", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Ends the sharing of one of your executions with a group, or every link to it.")
    static final class Unshare implements Callable<Integer> {
        @Mixin
        private GlobalOptions global;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "An execution's id.")
        private String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private Target target;

        private final CliEnvironment env;

        Unshare(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
                connection.client().delete("executions/" + ApiPaths.segment(id) + "/shares"
                        + (target.link ? "?link=true" : "?group=" + ApiPaths.segment(target.group)));
                out.println(global.json() ? "{\"revoked\": \"" + id + "\"}"
                        : "Revoked " + (target.link ? "every link to " + id : "the sharing of " + id + " with " + target.group));
                out.flush();
                return ExitCodes.OK;
            }
        }
    }
}
