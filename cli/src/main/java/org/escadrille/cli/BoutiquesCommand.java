package org.escadrille.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.escadrille.boutiques.BoutiquesCommands;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.ProblemsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code escadrille boutiques ...}: bosh's everyday commands, offline, so that tool authors check a
 * descriptor before publishing it. Exit 0 when valid, 1 with every problem otherwise (as bosh).
 */
@Command(name = "boutiques", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Checks Boutiques descriptors and invocations and renders command lines, like bosh, offline.",
        subcommands = {BoutiquesCommand.Validate.class, BoutiquesCommand.Invocation.class, BoutiquesCommand.Simulate.class})
final class BoutiquesCommand implements Runnable {
    static final int INVALID = 1;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: validate, invocation or simulate");
    }

    private static int report(PrintWriter err, String what, List<Problem> problems) {
        err.println(what + " is invalid (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
        problems.forEach(problem -> err.println("  " + problem));
        err.flush();
        return INVALID;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Validates a descriptor: the Boutiques schema and bosh's rules; every problem at once.")
    static final class Validate implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DESCRIPTOR")
        private Path descriptor;

        @Override
        public Integer call() {
            var problems = BoutiquesCommands.validate(descriptor);
            if (!problems.isEmpty()) {
                return report(spec.commandLine().getErr(), descriptor.toString(), problems);
            }
            spec.commandLine().getOut().println("OK: " + descriptor + " is a valid Boutiques descriptor");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "invocation", mixinStandardHelpOptions = true,
            description = "Validates an invocation (input id -> value) against a descriptor.")
    static final class Invocation implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DESCRIPTOR")
        private Path descriptor;

        @Option(names = {"-i", "--invocation"}, required = true, paramLabel = "INVOCATION")
        private Path invocation;

        @Override
        public Integer call() {
            var problems = BoutiquesCommands.invocation(descriptor, invocation);
            if (!problems.isEmpty()) {
                return report(spec.commandLine().getErr(), invocation.toString(), problems);
            }
            spec.commandLine().getOut().println("OK: " + invocation + " is a valid invocation of " + descriptor);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = {"Prints the command line an invocation renders to (paths resolve from the current directory).",
                    "With --json: {\"command_line\": ..., \"outputs\": {id: path}}."})
    static final class Simulate implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DESCRIPTOR")
        private Path descriptor;

        @Option(names = {"-i", "--invocation"}, required = true, paramLabel = "INVOCATION")
        private Path invocation;

        @Option(names = "--json", description = "Print the command line and the output paths as JSON.")
        private boolean json;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            try {
                var rendered = BoutiquesCommands.simulate(descriptor, invocation, Path.of("").toAbsolutePath());
                if (json) {
                    var document = new LinkedHashMap<String, Object>();
                    document.put("command_line", rendered.commandLine());
                    document.put("outputs", rendered.outputs());
                    out.println(JsonMapper.builder().build().writeValueAsString(document));
                } else {
                    out.println(rendered.commandLine());
                }
                out.flush();
                return 0;
            } catch (ProblemsException e) {
                return report(spec.commandLine().getErr(), invocation.toString(), e.problems());
            }
        }
    }
}
