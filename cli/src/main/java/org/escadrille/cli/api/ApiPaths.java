package org.escadrille.cli.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Percent-encoding of the pieces of API URLs: ids, space paths and query values. */
public final class ApiPaths {
    private ApiPaths() {
    }

    /** A path in a user's space, {@code a/b c/d.txt}, encoded segment by segment so that its slashes stay. */
    static String spacePath(String path) {
        return Arrays.stream(path.split("/"))
                .filter(segment -> !segment.isEmpty())
                .map(ApiPaths::segment)
                .collect(Collectors.joining("/"));
    }

    public static String segment(String value) {
        // URLEncoder does form encoding, where a space is '+'; in a path it must be %20.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
