package org.escadrille.server.storage;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A multipart upload whose parts a client sends straight to the storage element with presigned URLs,
 * one per part, while the server only starts, lists, completes or aborts it: how a large file reaches
 * an S3 bucket without passing through the server, and how an upload cut short resumes (the parts the
 * store already holds are listed, and only the others are sent).
 */
public interface DirectMultipart {

    /**
     * Starts a multipart upload to {@code key}; its id. With a {@code sha256} known up front (a pilot's
     * output) the object carries it as metadata from the start, whatever its size.
     */
    String start(String key, String sha256) throws IOException;

    /** A URL that PUTs part {@code number} (from 1), exactly {@code length} bytes, for {@code lifetime}. */
    URI partUrl(String key, String uploadId, int number, long length, Duration lifetime) throws IOException;

    /** The parts the store holds, by number; a {@link java.nio.file.NoSuchFileException} when the upload is unknown. */
    List<Part> parts(String key, String uploadId) throws IOException;

    /**
     * Joins the parts into the object. It carries no checksum but the one given to {@link #start}: setting one
     * afterwards would copy the whole object onto itself, so the SHA-256 the client computed is kept by the
     * caller's record instead.
     */
    void complete(String key, String uploadId, List<Part> parts) throws IOException;

    /** Aborts the upload and deletes its parts; an unknown upload is no error. */
    void abort(String key, String uploadId);

    /** A part the store holds. */
    record Part(int number, long size, String etag) {
    }
}
