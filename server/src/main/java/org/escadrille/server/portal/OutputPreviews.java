package org.escadrille.server.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The text of an execution's small text and JSON outputs, to show on its page: a result such as pi's
 * {@code pi.json} estimate is read at a glance, without a download. Only the first
 * {@link #MAX_BYTES} of a file are shown, and of a Monte-Carlo run only its merged results.
 */
@Component
class OutputPreviews {
    static final int MAX_BYTES = 4096;
    static final int MAX_PREVIEWS = 4;
    private static final List<String> TEXT_TYPES = List.of(".json", ".txt", ".log", ".out", ".md", ".yaml", ".yml");
    private final UserFiles files;
    private final JsonMapper json;

    OutputPreviews(UserFiles files, JsonMapper json) {
        this.files = files;
        this.json = json;
    }

    /** One output's text: its path from the execution's folder, the text, and whether it was cut. */
    record Preview(String path, String text, boolean cut) {
    }

    List<Preview> of(Account owner, ExecutionView execution) {
        var previews = new ArrayList<Preview>();
        boolean merged = execution.outputs().stream().anyMatch(ExecutionView.OutputView::merged);
        for (var output : execution.outputs()) {
            String name = output.path().toLowerCase(Locale.ROOT);
            if (previews.size() >= MAX_PREVIEWS) {
                break;
            }
            if ((merged && !output.merged()) || TEXT_TYPES.stream().noneMatch(name::endsWith)) {
                continue;
            }
            try (InputStream in = files.open(owner, UserPath.of(output.path()))) {
                byte[] head = in.readNBytes(MAX_BYTES);
                boolean cut = output.size() > head.length;
                String text = new String(head, 0, ExecutionPage.wholeCharacters(head), StandardCharsets.UTF_8);
                if (!cut && name.endsWith(".json")) {
                    text = pretty(text);
                }
                previews.add(new Preview(relative(output.path(), execution.outputDir()), text, cut));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NotFoundException deletedSince) {
                // the user deleted the output from their space: nothing to show
            }
        }
        return previews;
    }

    /** Indented, when it is JSON: a one-line document is hard to read; anything else stays as it is. */
    private String pretty(String text) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(text));
        } catch (JacksonException notJson) {
            return text;
        }
    }

    private static String relative(String path, String outputDir) {
        return path.startsWith(outputDir + "/") ? path.substring(outputDir.length() + 1) : path;
    }
}
