package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code escadrille sites ...}: where pilots run (admins only): list them with their health, add,
 * show, enable, disable and remove one, and rotate or revoke a manual site's token.
 */
@Command(name = "sites", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Manages the sites where pilots run (admins only): list, show, kinds, add, enable, disable, remove, token.")
final class SitesCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing a command: list, show, kinds, add, enable, disable, remove or token");
    }

    /** The tree of {@code sites} and its commands, bound to {@code env}. */
    static CommandLine commandLine(CliEnvironment env) {
        return new CommandLine(new SitesCommand())
                .addSubcommand(new ListSites(env))
                .addSubcommand(new Show(env))
                .addSubcommand(new Kinds(env))
                .addSubcommand(new Add(env))
                .addSubcommand("enable", new Enable(env, true))
                .addSubcommand("disable", new Enable(env, false))
                .addSubcommand(new Remove(env))
                .addSubcommand(new Token(env));
    }

    /** What every site command shares: the connection, and printing an answer. */
    private abstract static class SiteCommand extends GatewayCommand {
        SiteCommand(CliEnvironment env) {
            super(env);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the sites with their pilots and health.")
    static final class ListSites extends SiteCommand {
        ListSites(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            var sites = client.sites();
            if (global.json()) {
                out.println(sites.prettyJson());
                return;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode site : sites.value()) {
                JsonNode health = site.path("health");
                rows.add(List.of(site.path("name").asString(), site.path("kind").asString(),
                        site.path("enabled").asBoolean() ? "yes" : "no", health.path("pilotsQueued").asString(),
                        health.path("pilotsRunning").asString(), health.path("slots").asString() + "/"
                                + site.path("limits").path("maxSlots").asString(), health(health)));
            }
            out.print(Table.render(List.of("NAME", "KIND", "ENABLED", "QUEUED", "RUNNING", "SLOTS", "HEALTH"), rows));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one site: settings, limits, tags and health.")
    static final class Show extends SiteCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        Show(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            var site = client.site(name);
            if (global.json()) {
                out.println(site.prettyJson());
            } else {
                describe(site.value(), out);
            }
        }
    }

    @Command(name = "kinds", mixinStandardHelpOptions = true,
            description = "Lists the kinds a site may be, with the settings each understands (for add --set).")
    static final class Kinds extends SiteCommand {
        Kinds(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            var kinds = client.siteKinds();
            if (global.json()) {
                out.println(kinds.prettyJson());
                return;
            }
            var rows = new ArrayList<List<String>>();
            kinds.value().properties().forEach(kind -> {
                if (kind.getValue().isEmpty()) {
                    rows.add(List.of(kind.getKey(), "", "(no settings)"));
                }
                kind.getValue().properties().forEach(setting -> rows.add(List.of(kind.getKey(), setting.getKey(),
                        setting.getValue().asString())));
            });
            out.print(Table.render(List.of("KIND", "SETTING", "MEANING"), rows));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds a site, e.g. escadrille sites add cluster-a --kind slurm --set partition=debug"
                    + " --set time-limit=2h --max-queued 2 --slots-per-pilot 2 --tags gpu.",
                    "A manual site's answer holds its token and the command that starts a pilot with it: shown this once."})
    static final class Add extends SiteCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "1 to 40 of a-z, 0-9 and '-'.")
        String name;

        @Option(names = "--kind", required = true, paramLabel = "KIND",
                description = "local, manual, or an engine the server has (slurm, kubernetes).")
        String kind;

        @Option(names = "--set", paramLabel = "NAME=VALUE", description = "An engine setting (repeat for more).")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(names = "--max-queued", paramLabel = "N", description = "Most pilots waiting in the engine (default 2).")
        Integer maxQueued;

        @Option(names = "--max-running", paramLabel = "N", description = "Most pilots alive (default 10).")
        Integer maxRunning;

        @Option(names = "--max-slots", paramLabel = "N", description = "Most slots of all its pilots (default 64).")
        Integer maxSlots;

        @Option(names = "--slots-per-pilot", paramLabel = "N", description = "Each pilot's slots (default 1).")
        Integer slotsPerPilot;

        @Option(names = "--memory-mb", paramLabel = "MB", description = "Memory each pilot offers its tasks.")
        Long memoryMb;

        @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Tags its pilots offer (comma-separated).")
        List<String> tags;

        Add(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            ObjectNode body = GatewayJson.mapper().createObjectNode().put("name", name).put("kind", kind);
            if (!settings.isEmpty()) {
                var set = body.putObject("settings");
                settings.forEach(set::put);
            }
            putIfGiven(body, "maxQueued", maxQueued);
            putIfGiven(body, "maxRunning", maxRunning);
            putIfGiven(body, "maxSlots", maxSlots);
            putIfGiven(body, "slotsPerPilot", slotsPerPilot);
            if (memoryMb != null) {
                body.put("memoryMbPerPilot", memoryMb);
            }
            if (tags != null) {
                var array = body.putArray("tags");
                tags.forEach(array::add);
            }
            var added = client.addSite(body);
            if (global.json()) {
                out.println(added.prettyJson());
                return;
            }
            out.println("Added site " + added.value().path("name").asString() + " (" + added.value().path("kind").asString() + ")");
            String token = added.value().path("token").asString(null);
            if (token != null) {
                out.println("Its token, shown this once: " + token);
                out.println("Start a pilot on any host with:");
                out.println("  " + added.value().path("command").asString());
            }
        }

        private static void putIfGiven(ObjectNode body, String field, Integer value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    @Command(mixinStandardHelpOptions = true,
            description = "Enables a site, or disables it: no new pilot, those waiting cancelled, those running drain.")
    static final class Enable extends SiteCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        private final boolean enabled;

        Enable(CliEnvironment env, boolean enabled) {
            super(env);
            this.enabled = enabled;
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            var changed = client.changeSite(name, GatewayJson.mapper().createObjectNode().put("enabled", enabled));
            out.println(global.json() ? changed.prettyJson()
                    : (enabled ? "Enabled site " : "Disabled site (its pilots drain) ") + name);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a site with no pilot alive (disable it first and let its pilots drain).")
    static final class Remove extends SiteCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        Remove(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            client.removeSite(name);
            out.println(global.json() ? "{\"removed\": \"" + name + "\"}" : "Removed site " + name);
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Gives a manual site a new token (the one before stops working), or revokes it.")
    static final class Token extends SiteCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--revoke", description = "Revoke the token: no new pilot registers with it.")
        boolean revoke;

        Token(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out) {
            if (revoke) {
                client.revokeSiteToken(name);
                out.println(global.json() ? "{\"revoked\": \"" + name + "\"}" : "Revoked the token of site " + name);
                return;
            }
            var rotated = client.rotateSiteToken(name);
            if (global.json()) {
                out.println(rotated.prettyJson());
            } else {
                out.println("New token of site " + name + ", shown this once: " + rotated.value().path("token").asString());
                out.println("  " + rotated.value().path("command").asString());
            }
        }
    }

    private static String health(JsonNode health) {
        if (health.path("healthy").asBoolean(true)) {
            return "ok";
        }
        String error = health.path("lastError").asString("");
        if (error.length() > 60) {
            error = error.substring(0, 57) + "...";
        }
        return "failing (" + health.path("consecutiveFailures").asInt() + "): " + error;
    }

    private static void describe(JsonNode site, PrintWriter out) {
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("Site", site.path("name").asString()));
        rows.add(List.of("Kind", site.path("kind").asString()));
        rows.add(List.of("Enabled", site.path("enabled").asBoolean() ? "yes" : "no"));
        site.path("settings").properties().forEach(entry -> rows.add(List.of("Setting", entry.getKey() + "=" + entry.getValue().asString())));
        JsonNode limits = site.path("limits");
        rows.add(List.of("Limits", "max queued " + limits.path("maxQueued").asString() + ", max running "
                + limits.path("maxRunning").asString() + ", max slots " + limits.path("maxSlots").asString()
                + ", slots per pilot " + limits.path("slotsPerPilot").asString()));
        var tags = new ArrayList<String>();
        site.path("tags").forEach(tag -> tags.add(tag.asString()));
        rows.add(List.of("Tags", tags.isEmpty() ? "none" : String.join(",", tags)));
        JsonNode health = site.path("health");
        rows.add(List.of("Pilots", health.path("pilotsQueued").asString() + " queued, " + health.path("pilotsRunning").asString()
                + " running, " + health.path("slots").asString() + " slots"));
        rows.add(List.of("Health", health(health)));
        if (!health.path("lastSubmissionAt").isNull() && !health.path("lastSubmissionAt").isMissingNode()) {
            rows.add(List.of("Last pilot", health.path("lastSubmissionAt").asString()));
        }
        if (!health.path("backoffUntil").isNull() && !health.path("backoffUntil").isMissingNode()) {
            rows.add(List.of("Backed off", "until " + health.path("backoffUntil").asString()));
        }
        out.print(Table.rows(rows));
    }
}
