package org.escadrille.server.scheduling;

import java.nio.file.FileSystems;
import java.nio.file.Path;

/** Matches an uploaded file's path against a Boutiques output path template with wildcards. */
final class OutputGlob {
    private OutputGlob() {
    }

    static boolean matches(String template, String path) {
        String normalised = template.startsWith("./") ? template.substring(2) : template;
        if (!normalised.contains("*") && !normalised.contains("?")) {
            return path.equals(normalised) || path.startsWith(normalised + "/");
        }
        return FileSystems.getDefault().getPathMatcher("glob:" + normalised).matches(Path.of(path));
    }
}
