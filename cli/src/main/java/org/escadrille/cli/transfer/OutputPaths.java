package org.escadrille.cli.transfer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where an execution's output goes locally: its path relative to the execution's output directory,
 * refused when it could escape the target directory (an absolute path or a {@code ..} segment),
 * since a path from a server is not to be trusted with the user's files.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /** The output's path below {@code outputDir}: the server's path without that prefix, or as given when it is already relative to it. */
    public static String relative(String outputDir, String path) {
        if (path == null || path.isBlank()) {
            throw new IntegrityException("the server listed an output without a path");
        }
        String relative = path;
        String prefix = outputDir == null ? null : trimSlashes(outputDir) + "/";
        if (prefix != null && !prefix.equals("/") && relative.startsWith(prefix)) {
            relative = relative.substring(prefix.length());
        }
        if (relative.startsWith("/") || relative.contains("\\") || relative.contains("\0")) {
            throw new IntegrityException("refusing output path '" + path + "': it is not relative to the output directory");
        }
        if (Arrays.stream(relative.split("/")).anyMatch(segment -> segment.equals("..") || segment.equals("."))) {
            throw new IntegrityException("refusing output path '" + path + "': it contains '..' or '.'");
        }
        String trimmed = trimSlashes(relative);
        if (trimmed.isEmpty()) {
            throw new IntegrityException("refusing output path '" + path + "': it names no file");
        }
        return trimmed.replaceAll("/+", "/");
    }

    /** The path to ask {@code GET /api/v1/files/{path}} for. */
    public static String remote(String outputDir, String path) {
        String prefix = outputDir == null ? null : trimSlashes(outputDir) + "/";
        if (prefix == null || prefix.equals("/") || path.startsWith(prefix)) {
            return path;
        }
        return prefix + relative(outputDir, path);
    }

    /** The local file for {@code relative} under {@code targetDir}, checked once more after normalisation. */
    public static Path target(Path targetDir, String relative) {
        Path root = targetDir.toAbsolutePath().normalize();
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IntegrityException("refusing output path '" + relative + "': it leaves " + root);
        }
        return target;
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
