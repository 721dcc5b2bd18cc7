package org.escadrille.boutiques.render;

import java.util.ArrayList;
import java.util.List;

/** Python's {@code posixpath.basename}, {@code normpath} and {@code abspath}, purely on text. */
public final class PosixPaths {

    private PosixPaths() {
    }

    public static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@code os.path.abspath(path)} as if the current directory were {@code baseDirectory}. */
    public static String abspath(String baseDirectory, String path) {
        if (!path.startsWith("/")) {
            path = baseDirectory.endsWith("/") || baseDirectory.isEmpty() ? baseDirectory + path
                    : baseDirectory + "/" + path;
        }
        return normpath(path);
    }

    public static String normpath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        int initialSlashes = path.startsWith("/") ? 1 : 0;
        // POSIX allows a leading "//" to mean something else, so exactly two are kept.
        if (path.startsWith("//") && !path.startsWith("///")) {
            initialSlashes = 2;
        }
        List<String> kept = new ArrayList<>();
        for (String comp : path.split("/", -1)) {
            if (comp.isEmpty() || comp.equals(".")) {
                continue;
            }
            if (!comp.equals("..") || (initialSlashes == 0 && kept.isEmpty())
                    || (!kept.isEmpty() && kept.get(kept.size() - 1).equals(".."))) {
                kept.add(comp);
            } else if (!kept.isEmpty()) {
                kept.remove(kept.size() - 1);
            }
        }
        String out = "/".repeat(initialSlashes) + String.join("/", kept);
        return out.isEmpty() ? "." : out;
    }
}
