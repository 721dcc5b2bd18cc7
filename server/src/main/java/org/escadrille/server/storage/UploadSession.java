package org.escadrille.server.storage;

/**
 * A user's upload in progress straight to the storage: its object is written at {@link #stagingKey()},
 * in {@link #partCount()} parts of {@code partSize} bytes (the last one shorter), and moved to the
 * user's {@code path} when complete.
 *
 * @param uploadId the store's multipart upload, or null for a file of one part (a single PUT)
 */
public record UploadSession(String id, String ownerId, String path, long size, long partSize, String uploadId,
                            long createdAtMs) {
    /** S3 numbers parts from 1 to 10,000. */
    public static final int MAX_PARTS = 10_000;

    public int partCount() {
        return size == 0 ? 1 : (int) ((size + partSize - 1) / partSize);
    }

    /** The bytes of part {@code number} (from 1). */
    public long partLength(int number) {
        return Math.min(partSize, size - (number - 1) * partSize);
    }

    public boolean multipart() {
        return uploadId != null;
    }

    /** Outside every user's space: nothing names it until it is complete and moved. */
    public String stagingKey() {
        return "uploads/" + id;
    }
}
