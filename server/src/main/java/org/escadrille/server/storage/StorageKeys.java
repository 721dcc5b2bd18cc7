package org.escadrille.server.storage;

/**
 * The one rule on keys that every {@link Storage} applies before touching anything: relative,
 * slash-separated, no {@code .} or {@code ..} or empty segment, no backslash and no control character.
 * Callers pass keys built from checked paths ({@link UserPath}); this is the last line, so that no
 * engine (a directory, a bucket) ever sees a key that could leave its root or name two objects.
 */
final class StorageKeys {
    private StorageKeys() {
    }

    /** The key, if it is one; a prefix may end with {@code /}, and the empty key is the root. */
    static String check(String key) {
        if (key == null) {
            throw new IllegalArgumentException("no key");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("absolute key: " + printable(key));
        }
        if (key.chars().anyMatch(c -> Character.isISOControl(c) || c == '\\')) {
            throw new IllegalArgumentException("key with a control character or a backslash: " + printable(key));
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean trailing = i == segments.length - 1;
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty() && !trailing) {
                throw new IllegalArgumentException("key outside the storage or with an empty segment: " + printable(key));
            }
        }
        return key;
    }

    private static String printable(String key) {
        return key.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
