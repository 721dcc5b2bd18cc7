package org.escadrille.server.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the preview pane of the data manager and of an execution's page shows for a file: an image as
 * an image (loaded from the file's own address, opened in place), text, JSON and CSV as their first
 * {@value #MAX_BYTES} bytes, anything else as a download link only.
 */
@Component
class FilePreviews {
    static final int MAX_BYTES = 64 * 1024;
    private final UserFiles files;
    private final PortalLinks links;
    private final JsonMapper json;

    FilePreviews(UserFiles files, PortalLinks links, JsonMapper json) {
        this.files = files;
        this.links = links;
        this.json = json;
    }

    /** A file as the pane shows it; {@code text} is null for an image or a file shown only as a link. */
    record FilePreview(String path, String name, String url, String downloadUrl, boolean image, String text, boolean cut,
                       long size) {
    }

    FilePreview of(Account owner, UserPath path) {
        var stat = files.stat(owner, path);
        String url = links.download(path.value());
        var type = FileTypes.inline(stat.name());
        boolean image = type.map(FileTypes::isImage).orElse(false);
        String text = null;
        boolean cut = false;
        if (type.isPresent() && !image) {
            try (InputStream in = files.open(owner, path)) {
                byte[] head = in.readNBytes(MAX_BYTES);
                cut = stat.size() > head.length;
                text = new String(head, 0, ExecutionPage.wholeCharacters(head), StandardCharsets.UTF_8);
                if (!cut && type.get().isCompatibleWith(MediaType.APPLICATION_JSON)) {
                    text = pretty(text);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new FilePreview(path.value(), stat.name(), url, url + "?download=1", image, text, cut, stat.size());
    }

    /** Indented, when it is JSON: a one-line document is hard to read; anything else stays as it is. */
    private String pretty(String text) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(text));
        } catch (JacksonException notJson) {
            return text;
        }
    }
}
