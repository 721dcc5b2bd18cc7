package org.escadrille.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.escadrille.boutiques.BoutiquesCommands;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.ProblemsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code escadrille boutiques ...}: bosh's everyday commands, offline, so that tool authors check a
 * descriptor before publishing it. Exit 0 when valid, 1 with every problem otherwise (as bosh). Files are
 * read relative to the working directory, which is also bosh's base for outputs with uses-absolute-path.
 */
@Command(name = "boutiques", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Checks Boutiques descriptors and invocations and renders command lines, like bosh, offline.",
        subcommands = {BoutiquesCommand.Validate.class, BoutiquesCommand.Invocation.class, BoutiquesCommand.Simulate.class})
final class BoutiquesCommand implements Runnable {
    static final int INVALID = 1;

    private final CliEnvironment env;

    @Spec
    private CommandSpec spec;

    BoutiquesCommand(CliEnvironment env) {
        this.env = env;
    }

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

    /**
     * {@code {"command_line": ..., "outputs": {...}}} as Python's {@code json.dumps} writes it (", " and ": "
     * separators, every character outside printable ASCII escaped with lowercase hexadecimal digits), so
     * that a script comparing our text with bosh's finds the same bytes, whatever the terminal's encoding.
     */
    static String pythonJson(String commandLine, Map<String, String> outputs) {
        var text = new StringBuilder("{\"command_line\": ");
        quote(commandLine, text);
        text.append(", \"outputs\": {");
        String separator = "";
        for (var output : outputs.entrySet()) {
            text.append(separator);
            quote(output.getKey(), text);
            text.append(": ");
            quote(output.getValue(), text);
            separator = ", ";
        }
        return text.append("}}").toString();
    }

    private static void quote(String value, StringBuilder text) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                default -> text.append(c >= ' ' && c <= '~' ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            }
        }
        text.append('"');
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Validates a descriptor: the Boutiques schema and bosh's rules; every problem at once.")
    static final class Validate implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @ParentCommand
        private BoutiquesCommand parent;

        @Parameters(index = "0", paramLabel = "DESCRIPTOR")
        private Path descriptor;

        @Override
        public Integer call() {
            var problems = BoutiquesCommands.validate(parent.env.resolve(descriptor));
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

        @ParentCommand
        private BoutiquesCommand parent;

        @Parameters(index = "0", paramLabel = "DESCRIPTOR")
        private Path descriptor;

        @Option(names = {"-i", "--invocation"}, required = true, paramLabel = "INVOCATION")
        private Path invocation;

        @Override
        public Integer call() {
            var problems = BoutiquesCommands.invocation(parent.env.resolve(descriptor),
                    parent.env.resolve(invocation));
            if (!problems.isEmpty()) {
                return report(spec.commandLine().getErr(), invocation.toString(), problems);
            }
            spec.commandLine().getOut().println("OK: " + invocation + " is a valid invocation of " + descriptor);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = {"Prints the command line an invocation renders to (paths resolve from the working directory).",
                    "With --json: {\"command_line\": ..., \"outputs\": {id: path}}."})
    static final class Simulate implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @ParentCommand
        private BoutiquesCommand parent;

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
                var env = parent.env;
                var rendered = BoutiquesCommands.simulate(env.resolve(descriptor), env.resolve(invocation),
                        env.workingDir());
                if (json) {
                    out.println(pythonJson(rendered.commandLine(), rendered.outputs()));
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
