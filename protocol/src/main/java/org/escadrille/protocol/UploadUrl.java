package org.escadrille.protocol;

import java.util.Map;

/**
 * Where to PUT one output, straight to the storage: {@code url} with these {@code headers} (and the
 * body's own Content-Length), without the pilot's token. A null {@code url}: the server's storage has no
 * direct URLs, and the output goes through the server as before.
 */
public record UploadUrl(String url, Map<String, String> headers) {
    public UploadUrl {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public boolean direct() {
        return url != null && !url.isBlank();
    }
}
