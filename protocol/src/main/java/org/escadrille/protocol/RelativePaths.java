package org.escadrille.protocol;

/** Checks that a path named by the server stays inside a task's working directory. */
public final class RelativePaths {
    private RelativePaths() {
    }

    /**
     * Accepts a relative path without {@code ..} segments or backslashes.
     *
     * @throws IllegalArgumentException naming the path and the rule it breaks
     */
    public static String requireConfined(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("a path is required");
        }
        if (path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path must be relative: " + path);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("path must not leave its directory: " + path);
            }
        }
        return path;
    }
}
