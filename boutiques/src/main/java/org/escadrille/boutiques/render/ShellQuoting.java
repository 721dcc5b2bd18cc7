package org.escadrille.boutiques.render;

import org.escadrille.boutiques.json.PythonValues;
import tools.jackson.databind.JsonNode;

/**
 * Quotes a value as one shell word exactly like Python's {@code shlex.quote}, which bosh applies to String
 * and File values: safe text stays as it is, anything else goes between single quotes, an embedded single
 * quote becoming {@code '"'"'}. No value can break out of its word.
 */
public final class ShellQuoting {

    private ShellQuoting() {
    }

    public static String quote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isSafe(s.charAt(i))) {
                return "'" + s.replace("'", "'\"'\"'") + "'";
            }
        }
        return s;
    }

    /** shlex.quote of a JSON value: Python's falsy values (null, false, 0, {}) quote as {@code ''}. */
    static String quote(JsonNode value) {
        if (value.isString()) {
            return quote(value.stringValue());
        }
        if (!PythonValues.truthy(value)) {
            return "''";
        }
        throw new RenderException("bosh cannot quote the value " + PythonValues.repr(value)
                + ": a String or File input needs a string");
    }

    // shlex: [^\w@%+=:,./-] with re.ASCII marks a character as unsafe.
    private static boolean isSafe(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_@%+=:,./-".indexOf(c) >= 0;
    }
}
