package org.escadrille.pilot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.escadrille.protocol.MultipartPlan;
import org.escadrille.protocol.OutputPart;
import org.escadrille.protocol.OutputUpload;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.RangeStream;
import org.escadrille.protocol.StoredOutput;
import org.escadrille.protocol.UploadUrl;

/**
 * Uploads an output too large for one presigned PUT (S3 takes at most 5 GiB in one) straight to the
 * storage, in parts: the server starts a multipart upload bound to the file's SHA-256, signs each
 * part's URL when the pilot is about to send it (so that none expires during a long upload), and
 * completes it. Each part is streamed from its range of the file, never held in memory.
 */
final class MultipartOutputUploader {
    /**
     * Outputs larger than this go in parts: S3's limit for one PUT, or {@code -Descadrille.pilot.multipart-threshold}
     * (bytes; tests lower it so that a few MiB make several parts).
     */
    static final long THRESHOLD = Long.getLong("escadrille.pilot.multipart-threshold", 5L * 1024 * 1024 * 1024);

    private final ServerClient client;

    MultipartOutputUploader(ServerClient client) {
        this.client = client;
    }

    static boolean needed(long size) {
        return size > THRESHOLD;
    }

    /** Uploads the file in parts; empty (null) when the server's storage takes no direct uploads. */
    StoredOutput upload(String attemptId, String relativePath, Path file, long size, String sha256) {
        String base = PilotProtocol.multipartOutputPath(attemptId);
        MultipartPlan plan = client.post(base, new OutputUpload(relativePath, size, sha256), MultipartPlan.class);
        if (!plan.direct()) {
            return null;
        }
        for (int number = 1; number <= plan.partCount(); number++) {
            long offset = (number - 1) * plan.partSize();
            long length = Math.min(plan.partSize(), size - offset);
            UploadUrl url = client.post(base + "/part?size=" + length, new OutputPart(relativePath, plan.uploadId(), number),
                    UploadUrl.class);
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> range(file, offset, length)), length);
            client.putDirectly(url, body, length, "part " + number + " of " + relativePath);
        }
        return client.post(base + "/complete", new OutputPart(relativePath, plan.uploadId(), plan.partCount()),
                StoredOutput.class);
    }

    private static InputStream range(Path file, long offset, long length) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(offset);
            return new RangeStream(in, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
