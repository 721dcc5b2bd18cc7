package org.escadrille.server.api.rest;

import java.io.InputStream;
import java.util.function.Supplier;
import org.springframework.core.io.AbstractResource;

/**
 * A file of a user's space as a resource that knows its length and opens a fresh stream each time it
 * is read: Spring's own handling of ranges (several ranges in one request) reads it once per range,
 * where an {@code InputStreamResource} would be read whole just to learn its length, then be spent.
 */
final class StoredFileResource extends AbstractResource {
    private final String name;
    private final long size;
    private final Supplier<InputStream> opener;

    StoredFileResource(String name, long size, Supplier<InputStream> opener) {
        this.name = name;
        this.size = size;
        this.opener = opener;
    }

    @Override
    public InputStream getInputStream() {
        return opener.get();
    }

    @Override
    public long contentLength() {
        return size;
    }

    @Override
    public String getFilename() {
        return name;
    }

    @Override
    public String getDescription() {
        return "file " + name;
    }

    @Override
    public boolean exists() {
        return true;
    }
}
