package org.escadrille.cli.transfer;

import java.nio.file.Path;

/** An output now on this machine: its path in the user's space, where it was written, its size and checksum. */
public record DownloadedFile(String path, Path file, long size, String sha256) {
}
