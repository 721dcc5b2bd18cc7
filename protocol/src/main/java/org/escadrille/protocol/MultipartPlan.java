package org.escadrille.protocol;

/**
 * How a large output goes straight to the storage: a multipart upload ({@code uploadId}) of
 * {@code partCount} parts of {@code partSize} bytes (the last one shorter). A null {@code uploadId}: the
 * server's storage has no direct uploads, and the output goes through the server.
 */
public record MultipartPlan(String uploadId, long partSize, int partCount) {
    public boolean direct() {
        return uploadId != null && !uploadId.isBlank();
    }
}
