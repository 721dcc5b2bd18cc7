package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import org.escadrille.protocol.Sha256;
import org.escadrille.protocol.StoredOutput;
import org.escadrille.protocol.TaskAssignment.OutputSpec;

/** Uploads the files an attempt's output specs match, once every required one is known to exist. */
final class OutputUploader {
    private static final Logger LOG = Logger.getLogger(OutputUploader.class.getName());

    private final ServerClient client;
    private final MultipartOutputUploader multipart;

    OutputUploader(ServerClient client) {
        this.client = client;
        this.multipart = new MultipartOutputUploader(client);
    }

    /**
     * @return the bytes uploaded
     * @throws TaskFailedException when a required output is missing (nothing is uploaded then) or
     *                             the server refused one
     */
    long upload(String attemptId, WorkDirectory workDir, List<OutputSpec> specs, RetryLoop retry)
            throws IOException, TaskFailedException {
        List<String> files = new OutputMatcher(workDir).select(specs);
        long bytes = 0;
        for (String relative : files) {
            Path file = workDir.root().resolve(relative);
            long size = Files.size(file);
            // Straight to the storage when the server allows it: the URL is bound to this checksum, so the
            // storage refuses the bytes if the file changed since, and the server never streams them.
            String sha256 = client.directUploads() ? Sha256.of(file) : null;
            StoredOutput stored;
            try {
                stored = retry.call("output " + relative, () -> {
                    if (sha256 == null) {
                        return client.uploadOutput(attemptId, relative, file);
                    }
                    // Too large for one presigned PUT: in parts; null when the server wants it itself.
                    StoredOutput inParts = MultipartOutputUploader.needed(size)
                            ? multipart.upload(attemptId, relative, file, size, sha256) : null;
                    return inParts != null ? inParts : client.uploadOutputDirectly(attemptId, relative, file, size, sha256);
                });
            } catch (RequestRefusedException e) {
                throw new TaskFailedException("output " + relative + ": " + e.getMessage());
            }
            if (stored.size() != size) {
                LOG.warning(() -> attemptId + ": output " + relative + " has " + size + " bytes but the server stored "
                        + stored.size() + " (was it still being written?)");
            }
            bytes += size;
        }
        return bytes;
    }
}
