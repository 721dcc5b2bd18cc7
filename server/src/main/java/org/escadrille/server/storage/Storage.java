package org.escadrille.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.escadrille.protocol.RangeStream;

/**
 * A storage element: objects under slash-separated keys, streamed both ways, never held whole in
 * memory. Implementations: {@link LocalStorage} (a directory) and {@link S3Storage} (a
 * bucket). Keys are relative and slash-separated; one that could leave the storage (absolute, {@code ..},
 * a control character) is an {@link IllegalArgumentException}.
 */
public interface Storage {

    /** Stores the stream under {@code key} (replacing any object there), computing its SHA-256 on the way. */
    ObjectInfo put(String key, InputStream content) throws IOException;

    InputStream get(String key) throws IOException;

    /**
     * {@code length} bytes of the object from {@code offset} (fewer at its end), streamed: for HTTP
     * range requests (a resumed download). The caller checks the range against the object's size.
     */
    default InputStream get(String key, long offset, long length) throws IOException {
        InputStream in = get(key);
        try {
            in.skipNBytes(offset);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return new RangeStream(in, length);
    }

    Optional<ObjectInfo> stat(String key) throws IOException;

    /** The objects and "directories" directly under {@code prefix} (a key ending with {@code /}, or empty). */
    List<Entry> list(String prefix) throws IOException;

    /** Every object under {@code prefix} (a key ending with {@code /}), at any depth. */
    List<ObjectInfo> walk(String prefix) throws IOException;

    /** Deletes an object, or everything under a prefix ending with {@code /}; absent keys are no error. */
    void delete(String key) throws IOException;

    /** Moves an object to another key, replacing what is there. */
    void move(String from, String to) throws IOException;

    /**
     * Whether {@code key} names a directory: one with objects under it, or (where the storage has
     * them) an empty one.
     */
    default boolean isDirectory(String key) throws IOException {
        return !list(key + "/").isEmpty();
    }

    /**
     * Creates an empty directory at {@code key}, with its parents. Object stores have no empty
     * directories: there a directory appears with its first object, and this does nothing.
     */
    default void makeDirectory(String key) throws IOException {
    }

    /**
     * Removes what uploads that never finished left behind, begun before {@code beforeMs}: a local
     * temporary file of a write cut short, an S3 multipart upload never completed nor aborted (no
     * listing of objects shows those, and a bucket bills their parts). An S3 upload whose key
     * {@code mayRemove} refuses is left alone (users' resumable uploads keep theirs for days: their sessions
     * name them). Answers how many it removed.
     */
    default int removeAbandonedUploads(long beforeMs, Predicate<String> mayRemove) throws IOException {
        return 0;
    }

    /**
     * The file on this machine that holds the object, where the storage keeps objects as files (local
     * storage), so that the server can have the kernel send it (sendfile) rather than stream it; empty
     * otherwise, or when no object is at {@code key}. The file may be replaced (never changed in place) later.
     */
    default Optional<Path> localFile(String key) throws IOException {
        return Optional.empty();
    }

    /** Whether this storage hands out {@linkplain #directDownload direct URLs}, so that bytes need not pass through the server. */
    default boolean transfersDirectly() {
        return false;
    }

    /**
     * A URL that reads the object straight from the storage element for {@code lifetime}, without the
     * server, where the storage has such URLs (S3's presigned URLs); empty otherwise.
     */
    default Optional<URI> directDownload(String key, Duration lifetime) throws IOException {
        return Optional.empty();
    }

    /**
     * A request that writes exactly this content (its size and SHA-256 are bound into it, and the
     * storage refuses other bytes) at {@code key} for {@code lifetime}, without the server; empty where
     * the storage has no such requests.
     */
    default Optional<DirectUpload> directUpload(String key, long size, String sha256, Duration lifetime) throws IOException {
        return Optional.empty();
    }

    /**
     * Multipart uploads whose parts clients send straight to the storage (resumable), where the storage
     * has them (S3); empty otherwise.
     */
    default Optional<DirectMultipart> directMultipart() {
        return Optional.empty();
    }

    /** A PUT to {@code url} with these headers (and the body's own Content-Length). */
    record DirectUpload(URI url, Map<String, String> headers) {
    }

    /** An object's key, size, SHA-256 (null when the storage does not know it) and modification time. */
    record ObjectInfo(String key, long size, String sha256, long modifiedAtMs) {
    }

    /** One entry of a listing: an object, or a common prefix ({@code directory}). */
    record Entry(String name, String key, boolean directory, long size, long modifiedAtMs) {
    }
}
