package org.escadrille.cli.transfer;

import java.nio.file.Path;

/**
 * An output now on this machine: its path in the user's space, where it was written, its size, its
 * SHA-256, and what its bytes were checked with ({@code SHA-256} or {@code CRC32C}; null when the server
 * recorded no checksum to check them against).
 */
public record DownloadedFile(String path, Path file, long size, String sha256, String checkedWith) {
}
