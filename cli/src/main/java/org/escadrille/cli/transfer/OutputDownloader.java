package org.escadrille.cli.transfer;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
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
 * Where the server recorded a CRC32C beside that SHA-256 (a file it wrote itself through the files API)
 * and names both with the bytes, the CRC32C is what the bytes are checked with: it tells the same bytes
 * from bytes damaged on the way for a thirtieth of the SHA-256's CPU ({@link TransferChecksum}).
 */
public final class OutputDownloader {
    static final String CRC32C_HEADER = "X-Escadrille-CRC32C";
    static final String SHA256_HEADER = "X-Escadrille-SHA256";

    /** A large file is downloaded in ranges of this size, several at once ({@link RangedDownload}). */
    static final long RANGE_BYTES = 64L * 1024 * 1024;

    private final GatewayClient client;
    private final ProgressBar bar;
    private final Clock clock;
    private final RangedDownload ranged;

    /** Downloads a file larger than {@link #RANGE_BYTES} in ranges, {@code streams} at once (1: in one piece). */
    public OutputDownloader(GatewayClient client, ProgressBar bar, Clock clock, int streams) {
        this(client, bar, clock, RANGE_BYTES, streams);
    }

    /** With ranges of {@code rangeBytes}: a test's are small. */
    OutputDownloader(GatewayClient client, ProgressBar bar, Clock clock, long rangeBytes, int streams) {
        this.client = client;
        this.bar = bar;
        this.clock = clock;
        this.ranged = new RangedDownload(client, rangeBytes, streams);
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
            downloaded.add(fetch(planned.output(), null, planned.remote(), planned.target(), progress));
            progress.fileDone();
        }
        progress.finish();
        return downloaded;
    }

    /**
     * Downloads one file of the user's space to {@code target}, checked against the SHA-256 the server
     * recorded (when it has one), or the CRC32C recorded with it, before it takes its final name.
     * {@code crc32c}: the one the listing gave beside {@code sha256} (or null), for an answer straight from
     * the storage, which carries neither.
     */
    public DownloadedFile downloadFile(String remote, long size, String sha256, String crc32c, Path target) {
        TransferProgress progress = new TransferProgress(bar, clock, "Downloading", 1, Math.max(0, size));
        DownloadedFile file = fetch(new OutputFile(remote, size, sha256, null), crc32c, remote, target, progress);
        progress.fileDone();
        progress.finish();
        return file;
    }

    private DownloadedFile fetch(OutputFile output, String listedCrc32c, String remote, Path target,
                                 TransferProgress progress) {
        String expected = output.sha256();
        if (expected != null && alreadyThere(target, expected)) {
            progress.transferred(output.size());
            return new DownloadedFile(output.path(), target, output.size(), expected, "SHA-256");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new LocalFileException("cannot create " + target.getParent() + ": " + e, e);
        }
        Arrived arrived = inRanges(output, remote, listedCrc32c, part, progress)
                .orElseGet(() -> inOnePiece(remote, expected, listedCrc32c, part, progress));
        long size = arrived.received().size();
        Check checked = arrived.check();
        String actual = arrived.received().checksum();
        if (checked.expected() != null && !checked.expected().equalsIgnoreCase(actual)) {
            deleteQuietly(part);
            throw new IntegrityException("output " + output.path() + " arrived with " + checked.checksum().name()
                    + " " + actual + " but the server recorded " + checked.expected()
                    + "; nothing was kept, run the command again");
        }
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new LocalFileException("cannot write " + target + ": " + e, e);
        }
        // Checked by its CRC32C, the file is the one whose SHA-256 the server recorded with it.
        String sha256 = checked.crc32c() ? expected : actual;
        return new DownloadedFile(output.path(), target, size, sha256,
                checked.expected() == null ? null : checked.checksum().name());
    }

    /** What a download wrote into the part file, and what those bytes are to be checked with. */
    record Arrived(HashingFileSubscriber.Received received, Check check) {
    }

    /** The file in one answer, written to {@code part} and checksummed as it comes; {@code part} deleted on a failure. */
    private Arrived inOnePiece(String remote, String expected, String listedCrc32c, Path part, TransferProgress progress) {
        var made = new AtomicReference<HashingFileSubscriber>();
        var check = new AtomicReference<Check>();
        try {
            var received = client.download(remote, answer -> {
                check.set(Check.of(answer.headers(), expected, listedCrc32c));
                made.set(new HashingFileSubscriber(part, progress::transferred, check.get().checksum()));
                return made.get();
            });
            return new Arrived(received, check.get());
        } catch (UnreachableException e) {
            deleteQuietly(part);
            // The HTTP client reports a failure of the disk or of the hash as a broken exchange.
            HashingFileSubscriber body = made.get();
            throw body == null ? e : body.localFailure().<RuntimeException>map(local -> local).orElse(e);
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
    }

    /**
     * A large file, in ranges over several connections; empty (nothing counted as transferred) where it goes in
     * one piece: too small, no CRC32C to check it with, or a store that does not answer ranges.
     */
    private Optional<Arrived> inRanges(OutputFile output, String remote, String listedCrc32c, Path part,
                                       TransferProgress progress) {
        if (!ranged.worthIt(output.size())) {
            return Optional.empty();
        }
        var counted = new AtomicLong();
        try {
            var result = ranged.fetch(remote, output.size(), output.sha256(), listedCrc32c, part, count -> {
                counted.addAndGet(count);
                progress.transferred(count);
            });
            if (result.isEmpty()) {
                // Some ranges may have come: the download in one piece starts again from the first byte.
                progress.transferred(-counted.get());
            }
            return result;
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
    }

    /**
     * What the bytes of one answer are checked with, and against what: a CRC32C recorded with the very
     * SHA-256 the caller expects (so both belong to the same record of the file), which is the one the
     * server sends ({@value #CRC32C_HEADER}) beside that SHA-256 ({@value #SHA256_HEADER}), or, for an
     * answer straight from the storage (a presigned URL: neither header), the one listed with it; else the
     * SHA-256, against the one expected (null: nothing recorded, the SHA-256 is computed only to be shown).
     */
    record Check(TransferChecksum checksum, String expected) {
        static Check of(HttpHeaders answer, String sha256, String listedCrc32c) {
            var named = answer.firstValue(SHA256_HEADER);
            String crc32c = named.isPresent() ? answer.firstValue(CRC32C_HEADER).orElse("")
                    : Objects.requireNonNullElse(listedCrc32c, "");
            boolean sameRecord = named.isEmpty() || named.get().equalsIgnoreCase(sha256);
            if (sha256 != null && sameRecord && crc32c.matches("[0-9a-fA-F]{8}")) {
                return new Check(TransferChecksum.crc32c(), crc32c);
            }
            return new Check(TransferChecksum.sha256(), sha256);
        }

        boolean crc32c() {
            return checksum instanceof TransferChecksum.Crc32cSum;
        }
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
