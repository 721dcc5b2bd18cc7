package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.ApiPaths;
import org.escadrille.cli.api.GatewayJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code escadrille apps restrict NAME VERSION --groups a,b}: only members of those groups see that
 * version (admins only); {@code --public} lets everyone see it again.
 */
@Command(name = "restrict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Restricts an application version to groups (admins only): nobody else sees it.",
                "With no --groups (or --public) the version is public again."})
final class RestrictCommand implements Callable<Integer> {

    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    private String name;

    @Parameters(index = "1", paramLabel = "VERSION")
    private String version;

    @Option(names = "--groups", split = ",", paramLabel = "GROUP", description = "The groups that may see it, comma-separated.")
    private List<String> groups = List.of();

    @Option(names = "--public", description = "Everyone may see it (the same as no --groups).")
    private boolean everyone;

    private final CliEnvironment env;

    RestrictCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (everyone && !groups.isEmpty()) {
            throw new UsageException("--public and --groups contradict each other: give one");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            var json = GatewayJson.mapper();
            var body = json.createObjectNode();
            body.putArray("groups").addAll(groups.stream().map(json.getNodeFactory()::textNode).toList());
            var restricted = connection.client().json("PUT", "apps/" + ApiPaths.segment(name) + "/"
                    + ApiPaths.segment(version) + "/groups", body);
            var now = restricted.value().path("groups");
            out.println(global.json() ? restricted.prettyJson()
                    : name + " " + version + (now.isEmpty() ? " is public" : " is restricted to " + joined(now)));
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static String joined(JsonNode groups) {
        var names = new ArrayList<String>();
        groups.forEach(group -> names.add(group.asString()));
        return String.join(", ", names);
    }
}
