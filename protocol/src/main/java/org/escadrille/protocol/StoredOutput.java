package org.escadrille.protocol;

/** The server's receipt for one uploaded output: where it is, its size and the SHA-256 it computed. */
public record StoredOutput(String path, long size, String sha256) {
}
