package org.escadrille.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code escadrille usage}: CPU-hours and storage per user or per group for a month (admins). */
@Command(name = "usage", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the CPU-hours, wall hours and storage of each user (or group) for a month:"
                + " attempts that ended in it (UTC), storage as it is now. Admins only."})
final class UsageCommand implements Callable<Integer> {
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "the month (default: the current one)")
    private String month;

    @Option(names = "--by", paramLabel = "user|group", defaultValue = "user", description = "per user (default) or per group")
    private String by;

    @Option(names = "--csv", description = "print CSV, as the server writes it, for a spreadsheet")
    private boolean csv;

    private final CliEnvironment env;

    UsageCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (month != null && !MONTH.matcher(month).matches()) {
            throw new UsageException("--month is a year and a month, as 2026-11; got '" + month + "'");
        }
        if (!by.equals("user") && !by.equals("group")) {
            throw new UsageException("--by is 'user' or 'group'; got '" + by + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
            if (csv) {
                out.print(connection.client().usageCsv(month, by));
            } else {
                var usage = connection.client().usage(month, by);
                out.print(global.json() ? usage.prettyJson() + "\n" : table(usage.value()));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private String table(JsonNode usage) {
        var text = new StringBuilder(String.format(Locale.ROOT, "%-20s %8s %10s %10s %14s%n",
                by.toUpperCase(Locale.ROOT), "ATTEMPTS", "CPU-HOURS", "WALL-HOURS", "STORED-BYTES"));
        for (JsonNode line : usage.path("lines")) {
            text.append(String.format(Locale.ROOT, "%-20s %8d %10.2f %10.2f %14d%n", line.path("name").asString(),
                    line.path("attempts").asInt(), line.path("cpuHours").asDouble(), line.path("wallHours").asDouble(),
                    line.path("storageBytes").asLong()));
        }
        return text.append("Month ").append(usage.path("month").asString()).append(" (UTC)\n").toString();
    }
}
