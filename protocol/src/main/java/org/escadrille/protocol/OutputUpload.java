package org.escadrille.protocol;

import java.util.Objects;

/**
 * An output a pilot is about to upload straight to the storage: its path in the working directory,
 * its size and its SHA-256 (hexadecimal), which the URL it gets back is bound to.
 */
public record OutputUpload(String path, long size, String sha256) {
    public OutputUpload {
        RelativePaths.requireConfined(path);
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
    }
}
