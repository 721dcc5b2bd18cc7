package org.escadrille.server.storage;

/**
 * A file in a user's space: its path there, size, SHA-256 (computed while it was streamed in) and time,
 * and the CRC32C of its bytes where the server computed one as it wrote them (an upload through the files
 * API; null otherwise): what a client checks a download with, cheaper than the SHA-256.
 */
public record StoredFile(String path, String name, long size, String sha256, long modifiedAtMs, String crc32c) {
    /** A file whose bytes the server did not read itself (an execution's output, an upload straight to S3). */
    public StoredFile(String path, String name, long size, String sha256, long modifiedAtMs) {
        this(path, name, size, sha256, modifiedAtMs, null);
    }
}
