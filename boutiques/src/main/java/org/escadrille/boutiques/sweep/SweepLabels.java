package org.escadrille.boutiques.sweep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Names sweep points {@code id=value_id=value}, keeping only characters that are safe in a file name on
 * every common file system. A value that had to be changed or shortened gets a short hash of its
 * original text, so different values keep different labels; exact repeats get {@code -2}, {@code -3}...
 */
final class SweepLabels {

    private static final int MAX_VALUE = 48;
    private static final int MAX_LABEL = 180;

    private final Set<String> used = new HashSet<>();

    String next(Map<String, JsonNode> parameters) {
        List<String> parts = new ArrayList<>();
        parameters.forEach((id, value) -> parts.add(safe(id) + "=" + safeValue(value)));
        String label = String.join("_", parts);
        if (label.length() > MAX_LABEL) {
            label = label.substring(0, MAX_LABEL) + "-" + hash(label);
        }
        String unique = label;
        for (int n = 2; !used.add(unique); n++) {
            unique = label + "-" + n;
        }
        return unique;
    }

    private static String safeValue(JsonNode value) {
        String text = value.isString() ? value.stringValue() : value.toString();
        String safe = safe(text);
        if (safe.startsWith(".")) {
            safe = "-" + safe.substring(1);
        }
        if (!safe.equals(text) || safe.length() > MAX_VALUE || safe.isEmpty()) {
            safe = safe.substring(0, Math.min(safe.length(), MAX_VALUE - 9)) + "-" + hash(text);
        }
        return safe;
    }

    private static String safe(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '-' || c == '+';
            out.append(ok ? c : '-');
        }
        // ".." has no business in a directory name, even without a slash around it.
        return out.toString().replaceAll("\\.{2,}", "-");
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
