package org.escadrille.cli.transfer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.StoredFile;
import org.escadrille.cli.terminal.ProgressBar;

/**
 * Uploads the local files and directories of a launch into one fresh directory of the user's space,
 * {@code uploads/<yyyyMMdd-HHmmss>-<random>/}, and says where each one landed. A directory keeps its
 * tree; two inputs with the same file name go to numbered subdirectories, so both keep their name.
 */
public final class InputUploader {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final GatewayClient client;
    private final ProgressBar bar;
    private final Clock clock;
    private final String batchDir;
    private final DirectUploader direct;

    /** {@code partsInFlight}: how many parts of a file uploaded straight to the storage (S3) go at once. */
    public InputUploader(GatewayClient client, ProgressBar bar, Clock clock, String batchDir, int partsInFlight) {
        this.client = client;
        this.direct = new DirectUploader(client, partsInFlight);
        this.bar = bar;
        this.clock = clock;
        this.batchDir = batchDir;
    }

    /** A new batch directory, e.g. {@code uploads/20260115-093012-4f9a1c}, dated in the clock's zone. */
    public static String newBatchDir(Clock clock, RandomGenerator random) {
        String stamp = STAMP.format(LocalDateTime.now(clock));
        return "uploads/" + stamp + "-" + String.format("%06x", random.nextInt(1 << 24));
    }

    /** Uploads one local file to {@code remote} in the user's space, with a progress bar for a large one. */
    public StoredFile uploadFile(Path local, String remote) {
        long size;
        try {
            size = Files.size(local);
        } catch (IOException e) {
            throw new LocalFileException("cannot read " + local + ": " + e.getMessage(), e);
        }
        TransferProgress progress = new TransferProgress(bar, clock, "Uploading", 1, size);
        StoredFile stored;
        try {
            stored = send(remote, local, progress);
        } catch (FileNotFoundException e) {
            throw new LocalFileException("cannot read " + local + ": " + e.getMessage(), e);
        }
        progress.fileDone();
        progress.finish();
        return stored;
    }

    /** Uploads each path once, returning the stored path (in the user's space) of each. */
    public Map<Path, String> upload(Collection<Path> locals) {
        Map<Path, String> stored = new LinkedHashMap<>();
        List<Upload> uploads = new ArrayList<>();
        Set<String> usedNames = new HashSet<>();
        for (Path local : locals) {
            Path absolute = local.toAbsolutePath().normalize();
            if (stored.containsKey(absolute)) {
                continue;
            }
            String root = batchDir + "/" + uniqueName(absolute, usedNames);
            stored.put(absolute, root);
            uploads.addAll(plan(absolute, root));
        }
        long bytes = uploads.stream().mapToLong(Upload::size).sum();
        TransferProgress progress = new TransferProgress(bar, clock, "Uploading", uploads.size(), bytes);
        for (Upload upload : uploads) {
            try {
                send(upload.path(), upload.file(), progress);
            } catch (FileNotFoundException e) {
                throw new LocalFileException("cannot read " + upload.file() + ": " + e.getMessage(), e);
            }
            progress.fileDone();
        }
        progress.finish();
        return stored;
    }

    /** Straight to the storage where the server allows it (S3: in parts, resumable), else through the server. */
    private StoredFile send(String remote, Path local, TransferProgress progress) throws FileNotFoundException {
        var sent = direct.upload(local, remote, progress::transferred);
        return sent.isPresent() ? sent.get() : client.upload(remote, local, progress::transferred);
    }

    private record Upload(Path file, String path, long size) {
    }

    private static String uniqueName(Path absolute, Set<String> usedNames) {
        String name = absolute.getFileName() == null ? "root" : absolute.getFileName().toString();
        String candidate = name;
        for (int n = 2; !usedNames.add(candidate); n++) {
            candidate = n + "/" + name;
        }
        return candidate;
    }

    private static List<Upload> plan(Path local, String root) {
        try {
            if (!Files.isDirectory(local)) {
                return List.of(new Upload(local, root, Files.size(local)));
            }
            List<Upload> uploads = new ArrayList<>();
            try (Stream<Path> files = Files.walk(local)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = local.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    uploads.add(new Upload(file, root + "/" + relative, Files.size(file)));
                }
            }
            if (uploads.isEmpty()) {
                throw new LocalFileException("the directory " + local + " holds no files to upload", null);
            }
            return uploads;
        } catch (IOException e) {
            throw new LocalFileException("cannot read " + local + ": " + e, e);
        }
    }
}
