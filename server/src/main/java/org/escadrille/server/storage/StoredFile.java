package org.escadrille.server.storage;

/** A file in a user's space: its path there, size, SHA-256 (computed while it was streamed in) and time. */
public record StoredFile(String path, String name, long size, String sha256, long modifiedAtMs) {
}
