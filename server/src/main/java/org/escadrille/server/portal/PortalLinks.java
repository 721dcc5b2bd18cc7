package org.escadrille.server.portal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Links whose path holds a path of the user's space ({@code ${links.download(file.path)}}): each
 * segment encoded on its own, since an encoded slash would be refused.
 */
@Component
class PortalLinks {

    public String download(String path) {
        return "/files/download/" + encoded(path);
    }

    /** The preview pane's content for a file. */
    public String preview(String path) {
        return "/files/preview/" + encoded(path);
    }

    private static String encoded(String path) {
        return Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty())
                .map(segment -> UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }
}
