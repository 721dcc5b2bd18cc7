package org.escadrille.server.catalog;

import java.util.Objects;

/**
 * A published version of an application: its Boutiques descriptor, immutable once published, whose
 * SHA-256 (of the canonical JSON) is its identity for provenance.
 */
public record Application(String id, String name, String version, String digest, String descriptorJson, long publishedAtMs) {
    public Application {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(descriptorJson, "descriptorJson");
    }
}
