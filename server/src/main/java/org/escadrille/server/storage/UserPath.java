package org.escadrille.server.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.server.InvalidRequestException;

/**
 * A path in a user's space, normalised: no leading or trailing slash, no {@code .} or empty
 * segments, and never {@code ..}: a path that would leave the space is refused with a message. A
 * leading slash means the root of the space, not of the host. Each name may hold any printable
 * character (spaces and letters of any script included) but no control character, and takes at
 * most {@value #SEGMENT_BYTES} bytes of UTF-8, what file systems allow (a longer one was a 500).
 */
public record UserPath(String value) {
    /** The longest name of a file or folder, in bytes of UTF-8: the limit of ext4, XFS and most others. */
    public static final int SEGMENT_BYTES = 255;

    public UserPath {
        value = normalise(value);
    }

    public static UserPath of(String raw) {
        return new UserPath(raw);
    }

    public boolean isRoot() {
        return value.isEmpty();
    }

    public UserPath resolve(String child) {
        return new UserPath(value.isEmpty() ? child : value + "/" + child);
    }

    /** The directory holding this path (the root for a top-level name, and for the root itself). */
    public UserPath parent() {
        int slash = value.lastIndexOf('/');
        return new UserPath(slash < 0 ? "" : value.substring(0, slash));
    }

    public String name() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? value : value.substring(slash + 1);
    }

    private static String normalise(String raw) {
        if (raw == null) {
            return "";
        }
        if (raw.indexOf('\0') >= 0 || raw.contains("\\")) {
            throw invalid(raw, "must not contain NUL characters or backslashes");
        }
        if (raw.chars().anyMatch(Character::isISOControl)) {
            throw invalid(printable(raw), "must not contain control characters (tabs, line breaks, ...)");
        }
        if (raw.length() > 1000) {
            throw invalid(raw.substring(0, 40) + "...", "is longer than 1000 characters");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw invalid(raw, "must stay inside your space: '..' is not allowed");
            }
            if (segment.startsWith(".upload-")) {
                throw invalid(raw, "uses a reserved name (.upload-*)");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > SEGMENT_BYTES) {
                throw invalid(raw.substring(0, 40) + "...", "has a name longer than " + SEGMENT_BYTES
                        + " bytes ('" + segment.substring(0, 40) + "...'); shorten it");
            }
            segments.add(segment);
        }
        return String.join("/", segments);
    }

    private static String printable(String raw) {
        String shown = raw.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.length() <= 80 ? shown : shown.substring(0, 77) + "...";
    }

    private static InvalidRequestException invalid(String raw, String why) {
        return new InvalidRequestException("Invalid path", "the path '" + raw + "' " + why,
                List.of(new InvalidRequestException.FieldProblem("path", why)));
    }
}
