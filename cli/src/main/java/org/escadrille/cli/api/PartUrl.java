package org.escadrille.cli.api;

import java.util.Map;

/** Where to PUT one part of an upload: exactly {@code size} bytes, with these headers, straight to the storage. */
public record PartUrl(int number, long size, String url, Map<String, String> headers) {
    public PartUrl {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
