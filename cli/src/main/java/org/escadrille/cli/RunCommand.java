package org.escadrille.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.escadrille.cli.api.AppSummary;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.GatewayJson;
import org.escadrille.cli.api.LaunchRequest;
import org.escadrille.cli.api.Reply;
import org.escadrille.cli.launch.InvocationArguments;
import org.escadrille.cli.launch.LaunchInputs;
import org.escadrille.cli.terminal.PathDisplay;
import org.escadrille.cli.terminal.ProgressBar;
import org.escadrille.cli.terminal.RunSummary;
import org.escadrille.cli.transfer.DownloadedFile;
import org.escadrille.cli.transfer.InputUploader;
import org.escadrille.cli.transfer.OutputDownloader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code escadrille run}: uploads local inputs, launches, follows the execution and downloads its outputs. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Launches APP with the given inputs, shows its progress on stderr, then downloads its outputs"
                    + " and prints a summary (and any small JSON result) on stdout.",
            "Exit code 1 when the execution fails or is killed."},
        footer = {"",
            "Input values:",
            "  name=value    a value; the server converts it to the input's type",
            "  name=@path    a local file or directory, uploaded first to",
            "                uploads/<date>-<random>/ in your space, then passed as that path",
            "  name=@@text   the value @text",
            "  a=1 a=2 a=3   a repeated name is a list: the value of a list input,",
            "                or a sweep (one task per value) on a single-valued input",
            "  a=1,2         the single value \"1,2\" (commas are not split)",
            "Values given here replace the invocation file's (-i) for the same input.",
            "",
            "Examples:",
            "  escadrille run pi events=100000000",
            "  escadrille run pi events=1000000 seed=1 seed=2 seed=3",
            "  escadrille run --embedded dose -i dose.json geometry=@phantom.mac"})
final class RunCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APP", description = "The application's name, as `escadrille apps` lists it.")
    private String app;

    @Parameters(index = "1..*", paramLabel = "name=value", description = "Input values (see below).")
    private List<String> assignments = new ArrayList<>();

    @Option(names = {"-i", "--invocation"}, paramLabel = "invocation.json",
            description = "A Boutiques invocation: a JSON object of input ids to values; a list where the"
                    + " descriptor expects one value is a sweep; File values naming local files are uploaded.")
    private Path invocation;

    @Option(names = "--iterate", paramLabel = "cross|dot",
            description = "How sweeps over several inputs combine: every combination (cross, the server's"
                    + " default) or value by value (dot).")
    private Iteration iterate;

    @Option(names = "--split", paramLabel = "dynamic|static|none",
            description = "For a Monte-Carlo application: every task runs until the total is reached (dynamic, the"
                    + " default), N tasks of total/N events (static), or one ordinary task (none).")
    private String split;

    @Option(names = "--tasks", paramLabel = "N",
            description = "For a Monte-Carlo application: how many tasks to start with (default: one per free slot).")
    private Integer tasks;

    @Option(names = "--replay", paramLabel = "ID",
            description = "Replays a Monte-Carlo execution exactly: the same seeds and events per task, bit-identical merge.")
    private String replay;

    @Option(names = "--priority", paramLabel = "N",
            description = "Among your own executions, higher runs first (-1000..1000, default 0). Between users, free"
                    + " slots go to whoever runs fewest tasks.")
    private Integer priority;

    @Option(names = "--no-cache",
            description = "Run every task, even one identical to a task of yours that succeeded (by default it reuses"
                    + " that task's outputs instead of running: the task cache).")
    private boolean noCache;

    @Option(names = "--name", paramLabel = "NAME", description = "A name for the execution.")
    private String name;

    @Option(names = "--no-wait", description = "Print the execution's id on stdout and return at once.")
    private boolean noWait;

    @Option(names = "--to", paramLabel = "DIR",
            description = "Where to download the outputs (default: ./escadrille-results/<ID>/).")
    private Path to;

    private final CliEnvironment env;

    RunCommand(CliEnvironment env) {
        this.env = env;
    }

    enum Iteration {
        CROSS, DOT
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonNode invocationJson = invocation == null
                ? null
                : InvocationArguments.readInvocation(env.resolve(invocation), GatewayJson.mapper());
        InvocationArguments arguments = new InvocationArguments(env.workingDir(), env.home());
        // Parsed before connecting, so that a typo fails before an embedded server starts.
        LaunchInputs given = arguments.parse(assignments, invocationJson);
        try (Connection connection = Connection.open(global, env, err)) {
            GatewayClient client = connection.client();
            // Only an invocation file needs the descriptor: its File values are plain strings, unlike @path.
            LaunchInputs inputs = invocationJson == null
                    ? given
                    : arguments.withLocalInvocationFiles(given, fileInputs(client.app(app).value()));
            ProgressBar bar = new ProgressBar(err, env.interactive(), env.clock());
            Map<Path, String> stored = inputs.localFiles().isEmpty()
                    ? Map.of()
                    : new InputUploader(client, bar, env.clock(),
                            InputUploader.newBatchDir(env.clock(), RandomGenerator.getDefault()), env.partsInFlight())
                            .upload(inputs.localFiles());
            String iteration = iterate == null ? null : iterate.name().toLowerCase(Locale.ROOT);
            Reply<Execution> launched = client.launch(
                    new LaunchRequest(app, null, name, inputs.toJson(stored), iteration, split, tasks, replay, priority,
                            noCache ? Boolean.FALSE : null));
            Execution execution = launched.value();
            err.println("Launched execution " + execution.id() + " of " + app);
            err.flush();
            if (noWait) {
                out.println(global.json() ? launched.prettyJson() : execution.id());
                return ExitCodes.OK;
            }
            Instant start = env.clock().instant();
            Reply<Execution> ended = new ExecutionWatcher(client, bar, env.clock(), env.pollInterval())
                    .awaitEnd(execution.id());
            Duration elapsed = Duration.between(start, env.clock().instant());
            return report(ended, elapsed, client, bar, out, err);
        }
    }

    private int report(Reply<Execution> ended, Duration elapsed, GatewayClient client, ProgressBar bar,
            PrintWriter out, PrintWriter err) {
        Execution execution = ended.value();
        if (!execution.finished()) {
            err.println(RunSummary.failed(execution, elapsed));
            if (global.json()) {
                out.println(ended.prettyJson());
            }
            return ExitCodes.EXECUTION_FAILED;
        }
        Path target = ResultsDirectory.of(to, execution.id(), env);
        List<DownloadedFile> files = new OutputDownloader(client, bar, env.clock(), env.partsInFlight()).download(execution, target);
        if (global.json()) {
            out.println(ended.prettyJson());
        } else {
            out.println(RunSummary.finished(execution, elapsed, files.size(),
                    PathDisplay.directory(target, env.workingDir(), env.home())));
            ResultPreview.print(files, target, out);
        }
        return ExitCodes.OK;
    }

    private static Set<String> fileInputs(AppSummary app) {
        return app.inputs().stream()
                .filter(AppSummary.Input::isFile)
                .map(AppSummary.Input::id)
                .collect(Collectors.toSet());
    }
}
