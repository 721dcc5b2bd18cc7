package org.escadrille.server.portal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;

/**
 * The files a browser may open in place instead of downloading, and their type, by the name's ending:
 * text, JSON, CSV and the common images. Anything else (HTML above all: a page from a user's file would
 * run in the portal's origin) is only ever a download. SVG can carry scripts: it opens sandboxed
 * (see {@link #SANDBOX}), as every file opened in place does.
 */
final class FileTypes {
    /** A document that runs nothing, loads nothing but itself and inline styles: what an SVG or a text needs. */
    static final String SANDBOX = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";
    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);
    private static final Map<String, MediaType> TYPES = Map.ofEntries(
            Map.entry("txt", TEXT), Map.entry("log", TEXT), Map.entry("out", TEXT), Map.entry("err", TEXT),
            Map.entry("md", TEXT), Map.entry("yaml", TEXT), Map.entry("yml", TEXT), Map.entry("tsv", TEXT),
            Map.entry("sha256", TEXT),
            Map.entry("json", MediaType.APPLICATION_JSON),
            Map.entry("csv", new MediaType("text", "csv", StandardCharsets.UTF_8)),
            Map.entry("png", MediaType.IMAGE_PNG), Map.entry("jpg", MediaType.IMAGE_JPEG),
            Map.entry("jpeg", MediaType.IMAGE_JPEG), Map.entry("gif", MediaType.IMAGE_GIF),
            Map.entry("svg", MediaType.parseMediaType("image/svg+xml")));

    private FileTypes() {
    }

    /** The type of a file that opens in the browser, or empty for one that only downloads. */
    static Optional<MediaType> inline(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    /** Whether the preview pane shows it as an image (else as text). */
    static boolean isImage(MediaType type) {
        return type.getType().equals("image");
    }
}
