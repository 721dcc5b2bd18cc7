package org.escadrille.cli;

import org.escadrille.cli.embedded.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code escadrille} command: registers the subcommands and maps failures to exit codes ({@link ExitCodes}). */
@Command(name = "escadrille", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Runs Boutiques applications on an Escadrille gateway: launch, follow, fetch the results.",
        footer = {"", "Exit codes: 0 success, 1 the execution failed, 2 bad usage or input,"
                + " 3 server unreachable or failing.",
            "Environment: ESCADRILLE_URL, ESCADRILLE_API_KEY, ESCADRILLE_DATA_DIR, ESCADRILLE_PARTS_IN_FLIGHT (S3 upload parts sent, large download ranges fetched at once, 4)."})
public final class Main implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
    }

    /**
     * The JDK HTTP client's read and write buffers: its default of 16 KiB costs a trip through its
     * publishers per 16 KiB, which made a large transfer CPU-bound well below the disk's and the
     * network's speed. 256 KiB used the least CPU per byte of a 1 GiB download (against 64 KiB and
     * 1 MiB, whose buffers are "humongous" objects of G1's smaller regions). Read when the client's
     * classes load, hence set before any command runs; {@code -Djdk.httpclient.bufsize=...} still wins.
     */
    static final String HTTP_BUFFER_BYTES = String.valueOf(256 * 1024);

    public static void main(String[] args) {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", HTTP_BUFFER_BYTES);
        }
        System.exit(commandLine(CliEnvironment.system()).execute(args));
    }

    /** The whole command tree, its commands bound to {@code env}. */
    public static CommandLine commandLine(CliEnvironment env) {
        CommandLine commandLine = new CommandLine(new Main())
                .addSubcommand(ServeCommand.class)
                .addSubcommand(new RunCommand(env))
                .addSubcommand(new StatusCommand(env))
                .addSubcommand(new LogsCommand(env))
                .addSubcommand(new GetCommand(env))
                .addSubcommand(new CommandLine(new AppsCommand(env)).addSubcommand(new PublishCommand(env))
                        .addSubcommand(new RestrictCommand(env)))
                .addSubcommand(new KillCommand(env))
                .addSubcommand(new RerunCommand(env))
                .addSubcommand(new RmCommand(env))
                .addSubcommand(new StopCommand(env))
                .addSubcommand(new UsageCommand(env))
                .addSubcommand(new BoutiquesCommand(env))
                .addSubcommand(SitesCommand.commandLine(env))
                .addSubcommand(FilesCommand.commandLine(env))
                .addSubcommand(GroupsCommand.commandLine(env))
                .addSubcommand(new ShareCommand(env))
                .addSubcommand(new ShareCommand.Unshare(env));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(new FailureReporter(env.variable("ESCADRILLE_DEBUG") != null));
        return commandLine;
    }
}
