package org.escadrille.server.storage;

/**
 * A user's upload in progress straight to the storage, in {@link #partCount()} parts of {@code partSize}
 * bytes (the last one shorter), written at {@link #key()}: a file in parts goes straight to its own key,
 * where the store keeps the previous object whole until the upload completes; a file of one part (a single
 * PUT, which replaces an object at once) goes to a staging key and is moved to the user's {@code path} when
 * complete.
 *
 * @param uploadId  the store's multipart upload, or null for a file of one part (a single PUT)
 * @param objectKey the file's own key that the parts go to, or null: the object is staged at {@link #stagingKey()}
 *                  (a file of one part, or an upload begun before uploads went to their key)
 */
public record UploadSession(String id, String ownerId, String path, long size, long partSize, String uploadId,
                            long createdAtMs, String objectKey) {
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

    /** Whether the object is written at a staging key and moved to the user's path when complete. */
    public boolean staged() {
        return objectKey == null;
    }

    /** Where the client's bytes go. */
    public String key() {
        return staged() ? stagingKey() : objectKey;
    }

    /** Outside every user's space: nothing names it until it is complete and moved. */
    public String stagingKey() {
        return "uploads/" + id;
    }
}
