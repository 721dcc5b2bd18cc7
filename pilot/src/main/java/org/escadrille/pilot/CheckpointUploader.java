package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import org.escadrille.protocol.TaskAssignment.OutputSpec;

/**
 * Uploads a Monte-Carlo tool's newest checkpoint: the tool writes a complete partial result of exactly
 * E events into {@code <dir>/<E>/} (renaming a finished directory into place), and this sends the files
 * the outputs' paths match there, so that the events outlive the pilot. {@link #tick()} runs on the
 * pilot's log thread; {@link #uploaded()} may be read from any thread (the heartbeat's), and says a
 * checkpoint only once all its files are on the server.
 */
final class CheckpointUploader {
    private static final Logger LOG = Logger.getLogger(CheckpointUploader.class.getName());

    private final ServerClient client;
    private final String attemptId;
    private final Path directory;
    private final List<OutputSpec> outputs;
    private volatile long uploaded;
    /** A checkpoint that lacked a required output: not tried again. */
    private long skipped;

    CheckpointUploader(ServerClient client, String attemptId, Path directory, List<OutputSpec> outputs) {
        this.client = client;
        this.attemptId = attemptId;
        this.directory = directory;
        this.outputs = outputs;
    }

    /** Events of the newest checkpoint the server has whole, or 0. */
    long uploaded() {
        return uploaded;
    }

    /** Uploads the newest checkpoint if it is newer than the last one; a failure waits for the next tick. */
    void tick() {
        long newest = newest();
        if (newest <= uploaded) {
            return;
        }
        try {
            var root = new WorkDirectory(directory.resolve(Long.toString(newest)));
            List<String> files = new OutputMatcher(root).select(outputs);
            for (String relative : files) {
                client.uploadCheckpoint(attemptId, newest, relative, root.root().resolve(relative));
            }
            uploaded = newest;
        } catch (TaskFailedException e) {
            LOG.warning(() -> attemptId + ": checkpoint " + newest + " is incomplete, skipped: " + e.getMessage());
            // Not retried: the tool will write a newer one.
            skipped = newest;
        } catch (IOException | ServerUnreachableException | RequestRefusedException | AttemptGoneException e) {
            // The tool may have replaced it meanwhile, or the server is away: the next tick tries the newest again.
            LOG.fine(() -> attemptId + ": checkpoint " + newest + " not uploaded: " + e.getMessage());
        }
    }

    /** The largest E among the complete checkpoint directories (names that are whole numbers), or 0. */
    private long newest() {
        long newest = 0;
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.length() < 19 && name.chars().allMatch(Character::isDigit)
                        && Files.isDirectory(entry)) {
                    long events = Long.parseLong(name);
                    if (events > newest && events != skipped) {
                        newest = events;
                    }
                }
            }
        } catch (IOException e) {
            // Being rewritten by the tool: the next tick sees it.
        }
        return newest;
    }
}
