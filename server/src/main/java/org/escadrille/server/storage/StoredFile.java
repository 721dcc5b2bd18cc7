package org.escadrille.server.storage;

/**
 * A file in a user's space: its path there, size, SHA-256 (computed while it was streamed in) and time,
 * and the CRC32C of its bytes where one is known (computed by the server as it wrote them through the files
 * API, or named by the client completing an upload straight to S3; null otherwise): what a client checks a
 * download with, cheaper than the SHA-256.
 */
public record StoredFile(String path, String name, long size, String sha256, long modifiedAtMs, String crc32c) {
    /** A file without a known CRC32C (an execution's output, say). */
    public StoredFile(String path, String name, long size, String sha256, long modifiedAtMs) {
        this(path, name, size, sha256, modifiedAtMs, null);
    }
}
