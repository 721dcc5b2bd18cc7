package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.cli.api.ApiPaths;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.GatewayJson;
import org.escadrille.cli.terminal.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code escadrille groups ...}: your groups (every group for an admin), one with its members, and what
 * admins (create, rm) and group administrators (add, remove members) change.
 */
@Command(name = "groups", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Groups of users: list, show, create, add, remove, rm.")
final class GroupsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: list, show, create, add, remove or rm");
    }

    /** The tree of {@code groups} and its commands, bound to {@code env}. */
    static CommandLine commandLine(CliEnvironment env) {
        return new CommandLine(new GroupsCommand())
                .addSubcommand(new ListGroups(env))
                .addSubcommand(new Show(env))
                .addSubcommand(new Create(env))
                .addSubcommand(new Add(env))
                .addSubcommand(new Remove(env))
                .addSubcommand(new Delete(env));
    }

    /** What every group command shares: the connection, and printing an answer. */
    private abstract static class GroupCommand extends GatewayCommand {
        GroupCommand(CliEnvironment env) {
            super(env);
        }

        void describe(JsonNode group, PrintWriter out) {
            if (global.json()) {
                out.println(group.toPrettyString());
                return;
            }
            out.printf("%s%s%n", group.path("name").asString(),
                    group.path("description").asString("").isEmpty() ? "" : ": " + group.path("description").asString());
            var rows = new ArrayList<List<String>>();
            group.path("members").forEach(member -> rows.add(List.of(member.path("username").asString(),
                    member.path("role").asString())));
            out.print(Table.render(List.of("MEMBER", "ROLE"), rows));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists your groups (every group for an admin).")
    static final class ListGroups extends GroupCommand {
        ListGroups(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            var groups = client.json("GET", "groups", null);
            if (global.json()) {
                out.println(groups.prettyJson());
                return;
            }
            var rows = new ArrayList<List<String>>();
            groups.value().forEach(group -> rows.add(List.of(group.path("name").asString(),
                    group.path("myRole").isNull() || group.path("myRole").isMissingNode() ? "-" : group.path("myRole").asString(),
                    group.path("description").asString(""))));
            out.print(Table.render(List.of("NAME", "YOUR ROLE", "DESCRIPTION"), rows));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a group and its members.")
    static final class Show extends GroupCommand {
        @Parameters(index = "0", paramLabel = "GROUP")
        String name;

        Show(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            describe(client.json("GET", "groups/" + ApiPaths.segment(name), null).value(), out);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a group (admins only).")
    static final class Create extends GroupCommand {
        @Parameters(index = "0", paramLabel = "GROUP", description = "Its name: lower-case letters, digits, '_' and '-'.")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        Create(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            var body = GatewayJson.mapper().createObjectNode().put("name", name).put("description", description);
            describe(client.json("POST", "groups", body).value(), out);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a member to a group, or changes their role (group administrators and admins).")
    static final class Add extends GroupCommand {
        @Parameters(index = "0", paramLabel = "GROUP")
        String name;

        @Parameters(index = "1", paramLabel = "USER")
        String username;

        @Option(names = "--admin", description = "Make them an administrator of the group (else a member).")
        boolean admin;

        Add(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            var body = GatewayJson.mapper().createObjectNode().put("username", username).put("role", admin ? "ADMIN" : "MEMBER");
            describe(client.json("POST", "groups/" + ApiPaths.segment(name) + "/members", body).value(), out);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a member from a group (group administrators and admins).")
    static final class Remove extends GroupCommand {
        @Parameters(index = "0", paramLabel = "GROUP")
        String name;

        @Parameters(index = "1", paramLabel = "USER")
        String username;

        Remove(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            client.delete("groups/" + ApiPaths.segment(name) + "/members/" + ApiPaths.segment(username));
            out.println(global.json() ? "{\"removed\": \"" + username + "\"}" : "Removed " + username + " from " + name);
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Deletes a group (admins only).")
    static final class Delete extends GroupCommand {
        @Parameters(index = "0", paramLabel = "GROUP")
        String name;

        Delete(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            client.delete("groups/" + ApiPaths.segment(name));
            out.println(global.json() ? "{\"deleted\": \"" + name + "\"}" : "Deleted group " + name);
        }
    }
}
