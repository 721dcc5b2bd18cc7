package org.escadrille.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.terminal.HumanUnits;
import org.escadrille.cli.terminal.PathDisplay;
import org.escadrille.cli.terminal.ProgressBar;
import org.escadrille.cli.transfer.DownloadedFile;
import org.escadrille.cli.transfer.LocalFileException;
import org.escadrille.cli.transfer.OutputDownloader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code escadrille get}: downloads an execution's outputs, checking each one's SHA-256; with
 * {@code --crate}, its Workflow Run RO-Crate instead (docs/provenance.md).
 */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Downloads an execution's outputs, keeping their paths below its output directory,"
                + " and checks each file's SHA-256; files already there with the right checksum are kept.",
            "With --report: its report instead, one HTML file that opens offline.",
            "With --crate: its Workflow Run RO-Crate (descriptor, inputs, command lines, attempts, outputs with"
                + " their SHA-256), written to <ID>-crate.zip or -o FILE; escadrille rerun FILE replays it.",
            "With --json: the list of files written, as [{\"path\", \"file\", \"size\", \"sha256\"}]."})
final class GetCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "An execution's id.")
    private String id;

    @Option(names = "--to", paramLabel = "DIR",
            description = "Where to put the files (default: ./escadrille-results/<ID>/).")
    private Path to;

    @Option(names = "--report", description = "Download the execution's report instead of its outputs: one HTML file"
            + " that opens offline (summary, timeline, resource use, footprint, checksums), <ID>-report.html.")
    private boolean report;

    @Option(names = "--crate", description = "Download the execution's Workflow Run RO-Crate (a ZIP) instead of its outputs.")
    private boolean crate;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "With --report or --crate: where to write it (default: ./<ID>-report.html, ./<ID>-crate.zip).")
    private Path output;

    private final CliEnvironment env;

    GetCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (output != null && !report && !crate) {
            throw new UsageException("-o FILE names where --report or --crate writes its file; the outputs go to --to DIR");
        }
        if (report && crate) {
            throw new UsageException("--report and --crate each write one file: ask for one at a time");
        }
        try (Connection connection = Connection.open(global, env, err)) {
            if (report) {
                new ReportDownload(connection.client(), env).write(id, output, global.json(), out, err);
                return ExitCodes.OK;
            }
            if (crate) {
                return downloadCrate(connection, out);
            }
            Execution execution = connection.client().execution(id).value();
            if (!execution.ended()) {
                err.println("note: " + execution.id() + " is " + execution.status()
                        + "; downloading the outputs stored so far");
            }
            Path target = ResultsDirectory.of(to, execution.id(), env);
            ProgressBar bar = new ProgressBar(err, env.interactive(), env.clock());
            List<DownloadedFile> files = new OutputDownloader(connection.client(), bar, env.clock(), env.partsInFlight())
                    .download(execution, target);
            if (global.json()) {
                out.println(json(files).toPrettyString());
            } else if (files.isEmpty()) {
                out.println(execution.id() + " has no outputs" + (execution.ended() ? "" : " yet"));
            } else {
                long bytes = files.stream().mapToLong(DownloadedFile::size).sum();
                out.println(HumanUnits.count(files.size(), "output") + " (" + HumanUnits.bytes(bytes) + ") in "
                        + PathDisplay.directory(target, env.workingDir(), env.home()));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private int downloadCrate(Connection connection, PrintWriter out) {
        Path target = env.resolve(output != null ? output : Path.of(id + "-crate.zip"));
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = connection.client().crate(id)) {
            Files.createDirectories(target.getParent());
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LocalFileException("cannot write " + target + ": " + e.getMessage(), e);
        }
        if (global.json()) {
            out.println(JsonNodeFactory.instance.objectNode().put("file", target.toString()).toPrettyString());
        } else {
            out.println("RO-Crate of " + id + " in " + PathDisplay.directory(target, env.workingDir(), env.home())
                    + "; replay it with: escadrille rerun " + target.getFileName());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static ArrayNode json(List<DownloadedFile> files) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (DownloadedFile file : files) {
            array.addObject()
                    .put("path", file.path())
                    .put("file", file.file().toString())
                    .put("size", file.size())
                    .put("sha256", file.sha256());
        }
        return array;
    }
}
