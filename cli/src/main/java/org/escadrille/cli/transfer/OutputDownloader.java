package org.escadrille.cli.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.OutputFile;
import org.escadrille.cli.api.UnreachableException;
import org.escadrille.cli.terminal.ProgressBar;
import org.escadrille.protocol.Sha256;

/**
 * Downloads an execution's outputs into a local directory, keeping their paths below the
 * execution's output directory, and checks each one's SHA-256 before it takes its final name.
 * A file already there with the right checksum is kept, so that running {@code get} again resumes.
 */
public final class OutputDownloader {
    private final GatewayClient client;
    private final ProgressBar bar;
    private final Clock clock;

    public OutputDownloader(GatewayClient client, ProgressBar bar, Clock clock) {
        this.client = client;
        this.bar = bar;
        this.clock = clock;
    }

    public List<DownloadedFile> download(Execution execution, Path targetDir) {
        record Planned(OutputFile output, String remote, Path target) {
        }
        // Check every path before writing anything, so that a bad listing leaves no partial result.
        List<Planned> plan = execution.outputs().stream()
                .map(output -> new Planned(output, OutputPaths.remote(execution.outputDir(), output.path()),
                        OutputPaths.target(targetDir, OutputPaths.relative(execution.outputDir(), output.path()))))
                .toList();
        long bytes = plan.stream().mapToLong(planned -> Math.max(0, planned.output().size())).sum();
        TransferProgress progress = new TransferProgress(bar, clock, "Downloading", plan.size(), bytes);
        List<DownloadedFile> downloaded = new ArrayList<>();
        for (Planned planned : plan) {
            downloaded.add(fetch(planned.output(), planned.remote(), planned.target(), progress));
            progress.fileDone();
        }
        progress.finish();
        return downloaded;
    }

    /**
     * Downloads one file of the user's space to {@code target}, checked against the SHA-256 the server
     * recorded (when it has one) before it takes its final name.
     */
    public DownloadedFile downloadFile(String remote, long size, String sha256, Path target) {
        TransferProgress progress = new TransferProgress(bar, clock, "Downloading", 1, Math.max(0, size));
        DownloadedFile file = fetch(new OutputFile(remote, size, sha256, null), remote, target, progress);
        progress.fileDone();
        progress.finish();
        return file;
    }

    private DownloadedFile fetch(OutputFile output, String remote, Path target, TransferProgress progress) {
        String expected = output.sha256();
        if (expected != null && alreadyThere(target, expected)) {
            progress.transferred(output.size());
            return new DownloadedFile(output.path(), target, output.size(), expected);
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new LocalFileException("cannot create " + target.getParent() + ": " + e, e);
        }
        var made = new AtomicReference<HashingFileSubscriber>();
        HashingFileSubscriber.Received received;
        try {
            received = client.download(remote, () -> {
                made.set(new HashingFileSubscriber(part, progress::transferred));
                return made.get();
            });
        } catch (UnreachableException e) {
            deleteQuietly(part);
            // The HTTP client reports a failure of the disk or of the hash as a broken exchange.
            HashingFileSubscriber body = made.get();
            throw body == null ? e : body.localFailure().<RuntimeException>map(local -> local).orElse(e);
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
        long size = received.size();
        String actual = received.sha256();
        if (expected != null && !expected.equalsIgnoreCase(actual)) {
            deleteQuietly(part);
            throw new IntegrityException("output " + output.path() + " arrived with SHA-256 " + actual
                    + " but the server recorded " + expected + "; nothing was kept, run the command again");
        }
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new LocalFileException("cannot write " + target + ": " + e, e);
        }
        return new DownloadedFile(output.path(), target, size, actual);
    }

    private static boolean alreadyThere(Path target, String sha256) {
        try {
            return Files.isRegularFile(target) && sha256.equalsIgnoreCase(Sha256.of(target));
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left behind as *.part; the next download overwrites it.
        }
    }
}
