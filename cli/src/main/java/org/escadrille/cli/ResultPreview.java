package org.escadrille.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.escadrille.cli.transfer.DownloadedFile;

/**
 * Prints the small JSON outputs of a run after its summary, since they are usually the answer the
 * person waited for (the pi app's {@code {"estimate": 3.14159…}}).
 */
final class ResultPreview {
    static final long MAX_BYTES = 4 * 1024;
    static final int MAX_FILES = 10;

    private ResultPreview() {
    }

    static void print(List<DownloadedFile> files, Path targetDir, PrintWriter out) {
        // A Monte-Carlo run's partial results (under partials/) are merged at the top: show the merge.
        boolean merged = files.stream().anyMatch(file -> file.file().startsWith(targetDir.resolve("partials")));
        List<DownloadedFile> small = files.stream()
                .filter(file -> !merged || !file.file().startsWith(targetDir.resolve("partials")))
                .filter(file -> file.file().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
                .filter(file -> file.size() < MAX_BYTES)
                .toList();
        for (DownloadedFile file : small.subList(0, Math.min(MAX_FILES, small.size()))) {
            String content;
            try {
                content = Files.readString(file.file(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                continue; // A preview is a courtesy; the file itself is there.
            }
            String name = targetDir.relativize(file.file()).toString();
            out.println(content.contains("\n") ? name + ":\n" + content : name + ": " + content);
        }
        if (small.size() > MAX_FILES) {
            out.println("(and " + (small.size() - MAX_FILES) + " more small JSON outputs)");
        }
    }
}
