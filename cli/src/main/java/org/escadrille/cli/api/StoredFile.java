package org.escadrille.cli.api;

import java.time.Instant;

/** A file in a user's space, as the server stored it. */
public record StoredFile(String path, String name, long size, String sha256, Instant modified) {
}
