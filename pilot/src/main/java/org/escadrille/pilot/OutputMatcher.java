package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.escadrille.protocol.TaskAssignment.OutputSpec;

/**
 * Finds the files an output path names in a working directory: {@code *} and {@code ?} match within
 * one path segment, in any segment, and (as in a shell) not a leading dot. Only regular files count,
 * only inside the working directory (a symbolic link out of it is ignored), never the pilot's
 * {@code .escadrille} directory.
 */
final class OutputMatcher {
    private final WorkDirectory workDir;
    private final Path realRoot;

    OutputMatcher(WorkDirectory workDir) throws IOException {
        this.workDir = workDir;
        this.realRoot = workDir.root().toRealPath();
    }

    /**
     * The files of every spec, each once.
     *
     * @throws TaskFailedException naming every non-optional spec that matched nothing
     */
    List<String> select(List<OutputSpec> specs) throws IOException, TaskFailedException {
        var files = new LinkedHashSet<String>();
        var missing = new ArrayList<String>();
        for (OutputSpec spec : specs) {
            List<String> matches = match(spec.path());
            if (matches.isEmpty() && !spec.optional()) {
                missing.add("missing output " + spec.id() + ": " + spec.path());
            }
            files.addAll(matches);
        }
        if (!missing.isEmpty()) {
            throw new TaskFailedException(String.join("; ", missing));
        }
        return List.copyOf(files);
    }

    /** The matching files as paths relative to the working directory, with '/' separators, sorted. */
    List<String> match(String pattern) throws IOException {
        var segments = new ArrayList<String>();
        for (String segment : pattern.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        List<Path> candidates = List.of(workDir.root());
        for (int i = 0; i < segments.size(); i++) {
            boolean last = i == segments.size() - 1;
            var next = new ArrayList<Path>();
            for (Path dir : candidates) {
                for (Path entry : entries(dir, segments.get(i))) {
                    if (last ? isConfinedFile(entry) : isConfinedDirectory(entry)) {
                        next.add(entry);
                    }
                }
            }
            candidates = next;
        }
        var matches = new TreeSet<String>();
        for (Path file : candidates) {
            String relative = workDir.root().relativize(file).toString();
            if (!relative.isEmpty() && !relative.equals(WorkDirectory.PILOT_DIR)
                    && !relative.startsWith(WorkDirectory.PILOT_DIR + "/")) {
                matches.add(relative);
            }
        }
        return List.copyOf(matches);
    }

    private static List<Path> entries(Path dir, String segment) throws IOException {
        if (!hasWildcard(segment)) {
            Path entry = dir.resolve(segment);
            return Files.exists(entry) ? List.of(entry) : List.of();
        }
        Pattern regex = toRegex(segment);
        var entries = new ArrayList<Path>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (regex.matcher(name).matches() && (!name.startsWith(".") || segment.startsWith("."))) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    private boolean isConfinedFile(Path path) throws IOException {
        return Files.isRegularFile(path) && path.toRealPath().startsWith(realRoot);
    }

    private boolean isConfinedDirectory(Path path) throws IOException {
        return Files.isDirectory(path) && path.toRealPath().startsWith(realRoot);
    }

    static boolean hasWildcard(String segment) {
        return segment.indexOf('*') >= 0 || segment.indexOf('?') >= 0;
    }

    private static Pattern toRegex(String glob) {
        var regex = new StringBuilder();
        var literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
