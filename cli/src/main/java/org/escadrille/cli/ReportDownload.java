package org.escadrille.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.terminal.HumanUnits;
import org.escadrille.cli.terminal.PathDisplay;
import org.escadrille.cli.transfer.LocalFileException;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code escadrille get ID --report}: writes the execution's HTML report to {@code -o FILE}, else to
 * {@code ./<ID>-report.html}; whole or not at all (it is written beside, then moved in place).
 */
final class ReportDownload {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private final GatewayClient client;
    private final CliEnvironment env;

    ReportDownload(GatewayClient client, CliEnvironment env) {
        this.client = client;
        this.env = env;
    }

    void write(String id, Path output, boolean json, PrintWriter out, PrintWriter err) {
        Path file = output != null ? env.resolve(output) : defaultFile(id);
        byte[] html = client.report(id);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Files.write(part, html);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LocalFileException("cannot write the report to " + file + ": " + e, e);
        }
        if (json) {
            out.println(JsonNodeFactory.instance.objectNode().put("file", file.toString()).put("size", html.length)
                    .toPrettyString());
        } else {
            out.println("report of " + id + " (" + HumanUnits.bytes(html.length) + ") in "
                    + PathDisplay.file(file, env.workingDir(), env.home()));
        }
        out.flush();
    }

    /** The id becomes a file name: one that could name another directory must be given a name with -o. */
    private Path defaultFile(String id) {
        if (!SAFE_ID.matcher(id).matches() || id.contains("..")) {
            throw new UsageException("'" + id + "' cannot be a file name: name the report with -o FILE");
        }
        return env.workingDir().resolve(id + "-report.html");
    }
}
