package org.escadrille.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.StoredFile;
import org.escadrille.cli.terminal.HumanUnits;
import org.escadrille.cli.terminal.ProgressBar;
import org.escadrille.cli.terminal.Table;
import org.escadrille.cli.transfer.DownloadedFile;
import org.escadrille.cli.transfer.InputUploader;
import org.escadrille.cli.transfer.OutputDownloader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code escadrille files ls|put|get|rm}: your space on the server's storage, from a terminal, with progress bars. */
@Command(name = "files", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Your files on the server: ls (with the storage used and your quota), put, get, rm.")
final class FilesCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: ls, put, get or rm");
    }

    static CommandLine commandLine(CliEnvironment env) {
        return new CommandLine(new FilesCommand())
                .addSubcommand(new Ls(env))
                .addSubcommand(new Put(env))
                .addSubcommand(new Get(env))
                .addSubcommand(new Rm(env));
    }

    /** What every files command shares: the connection, and printing. */
    private abstract static class FileCommand implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Spec
        CommandSpec spec;

        final CliEnvironment env;

        FileCommand(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Connection connection = Connection.open(global, env, spec.commandLine().getErr())) {
                run(connection.client(), out, new ProgressBar(spec.commandLine().getErr(), env.interactive(), env.clock()));
                out.flush();
                return ExitCodes.OK;
            }
        }

        abstract void run(GatewayClient client, PrintWriter out, ProgressBar bar);
    }

    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "Lists a directory of your space (default: its top), then the storage you use and may use.")
    static final class Ls extends FileCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "A directory of your space.")
        String dir = "";

        Ls(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out, ProgressBar bar) {
            List<JsonNode> entries = client.files(dir);
            JsonNode storage = client.me().value().path("storage");
            if (global.json()) {
                var answer = JsonNodeFactory.instance.objectNode();
                answer.putArray("entries").addAll(entries);
                answer.set("storage", storage);
                out.println(answer.toPrettyString());
                return;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode entry : entries) {
                boolean directory = entry.path("directory").asBoolean();
                rows.add(List.of(entry.path("name").asString() + (directory ? "/" : ""),
                        directory ? "" : HumanUnits.bytes(entry.path("size").asLong())));
            }
            if (!rows.isEmpty()) {
                out.print(Table.render(List.of("NAME", "SIZE"), rows));
            }
            long used = storage.path("usedBytes").asLong();
            long quota = storage.path("quotaBytes").asLong();
            out.println("Storage: " + HumanUnits.bytes(used) + " used" + (quota > 0 ? " of " + HumanUnits.bytes(quota) : ""));
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Uploads a local file into your space.")
    static final class Put extends FileCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The local file.")
        Path local;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
                description = "Where in your space (default: the file's name at the top; a path ending with / is a directory).")
        String remote;

        Put(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out, ProgressBar bar) {
            Path file = env.workingDir().resolve(local);
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no file " + local + ": put uploads one file");
            }
            String name = file.getFileName().toString();
            String target = remote == null || remote.isBlank() ? name : remote.endsWith("/") ? remote + name : remote;
            StoredFile stored = new InputUploader(client, bar, env.clock(), "", env.partsInFlight()).uploadFile(file, target);
            if (global.json()) {
                out.println(JsonNodeFactory.instance.objectNode().put("path", stored.path()).put("size", stored.size())
                        .put("sha256", stored.sha256()).toPrettyString());
            } else {
                out.println("Stored " + stored.path() + " (" + HumanUnits.bytes(stored.size()) + ", SHA-256 " + stored.sha256() + ")");
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Downloads a file of your space, checking it (its CRC32C or SHA-256) before it takes its name.")
    static final class Get extends FileCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "The file in your space.")
        String remote;

        @Option(names = "--to", paramLabel = "FILE", description = "Where to write it (default: its name, here).")
        Path to;

        Get(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out, ProgressBar bar) {
            String clean = remote.replaceAll("^/+|/+$", "");
            String parent = clean.contains("/") ? clean.substring(0, clean.lastIndexOf('/')) : "";
            String name = clean.substring(clean.lastIndexOf('/') + 1);
            JsonNode entry = client.files(parent).stream()
                    .filter(e -> e.path("name").asString().equals(name) && !e.path("directory").asBoolean())
                    .findFirst().orElseThrow(() -> new UsageException("no file '" + clean + "' in your space"));
            Path target = env.workingDir().resolve(to == null ? Path.of(name) : to);
            if (Files.isDirectory(target)) {
                target = target.resolve(name);
            }
            String sha256 = entry.path("sha256").isString() ? entry.path("sha256").asString() : null;
            String crc32c = entry.path("crc32c").isString() ? entry.path("crc32c").asString() : null;
            DownloadedFile file = new OutputDownloader(client, bar, env.clock(), env.partsInFlight())
                    .downloadFile(clean, entry.path("size").asLong(), sha256, crc32c, target);
            if (global.json()) {
                out.println(JsonNodeFactory.instance.objectNode().put("path", clean).put("file", file.file().toString())
                        .put("size", file.size()).put("sha256", file.sha256()).toPrettyString());
            } else {
                String check = file.checkedWith() == null ? "no checksum recorded to check it against"
                        : file.checkedWith() + " checked";
                out.println("Wrote " + file.file() + " (" + HumanUnits.bytes(file.size()) + ", " + check + ")");
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Deletes a file, or a directory with all it holds.")
    static final class Rm extends FileCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "The file or directory in your space.")
        String remote;

        Rm(CliEnvironment env) {
            super(env);
        }

        @Override
        void run(GatewayClient client, PrintWriter out, ProgressBar bar) {
            client.deleteFile(remote);
            if (!global.json()) {
                out.println("Deleted " + remote);
            }
        }
    }
}
