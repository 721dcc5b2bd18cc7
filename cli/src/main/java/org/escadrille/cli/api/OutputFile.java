package org.escadrille.cli.api;

/** One file an execution produced: its path in the owner's space, as {@code GET /api/v1/files} takes it. */
public record OutputFile(String path, long size, String sha256, String taskId) {
}
