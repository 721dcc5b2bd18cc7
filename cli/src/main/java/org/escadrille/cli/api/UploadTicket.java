package org.escadrille.cli.api;

import java.util.List;

/**
 * The server's answer to an upload declared up front: straight to the storage ({@code direct}), in
 * {@code partCount} parts of {@code partSize} bytes, some of which it may already hold (a resumed upload).
 */
public record UploadTicket(boolean direct, String id, long partSize, int partCount, List<Integer> uploadedParts) {
    public UploadTicket {
        uploadedParts = uploadedParts == null ? List.of() : List.copyOf(uploadedParts);
    }

    /** The answer of a server that takes uploads only through {@code PUT /api/v1/files/...}. */
    public static final UploadTicket THROUGH_SERVER = new UploadTicket(false, null, 0, 0, List.of());
}
