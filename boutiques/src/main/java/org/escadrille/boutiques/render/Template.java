package org.escadrille.boutiques.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Text being rendered, made of template text and substituted values. Replacements only ever look at the
 * template text: a value that happens to contain a value-key (or a quote) is never substituted again,
 * unlike bosh's repeated {@code str.replace}, which could re-open a quoted value.
 */
final class Template {

    private record Segment(String text, boolean literal) {
    }

    private final List<Segment> segments;

    private Template(List<Segment> segments) {
        this.segments = segments;
    }

    static Template of(String text) {
        List<Segment> s = new ArrayList<>();
        s.add(new Segment(text, true));
        return new Template(s);
    }

    static Template empty() {
        return new Template(new ArrayList<>());
    }

    Template copy() {
        return new Template(new ArrayList<>(segments));
    }

    String text() {
        StringBuilder out = new StringBuilder();
        segments.forEach(s -> out.append(s.text()));
        return out.toString();
    }

    /** Position in {@link #text()} of the first occurrence of {@code key} in template text, or -1. */
    int indexOf(String key) {
        int offset = 0;
        for (Segment s : segments) {
            if (s.literal()) {
                int i = s.text().indexOf(key);
                if (i >= 0) {
                    return offset + i;
                }
            }
            offset += s.text().length();
        }
        return -1;
    }

    boolean contains(String key) {
        return indexOf(key) >= 0;
    }

    /** Replaces every occurrence of {@code target} in template text by the value {@code replacement}. */
    void replace(String target, String replacement) {
        List<Segment> out = new ArrayList<>();
        for (Segment s : segments) {
            if (!s.literal() || target.isEmpty()) {
                out.add(s);
                continue;
            }
            String text = s.text();
            int from = 0;
            int at;
            while ((at = text.indexOf(target, from)) >= 0) {
                addLiteral(out, text.substring(from, at));
                if (!replacement.isEmpty()) {
                    out.add(new Segment(replacement, false));
                }
                from = at + target.length();
            }
            addLiteral(out, text.substring(from));
        }
        segments.clear();
        segments.addAll(out);
    }

    // Adjacent template text is merged so that a key spanning a removed value is found again, as in bosh.
    private static void addLiteral(List<Segment> out, String text) {
        if (text.isEmpty()) {
            return;
        }
        if (!out.isEmpty() && out.get(out.size() - 1).literal()) {
            Segment last = out.remove(out.size() - 1);
            out.add(new Segment(last.text() + text, true));
        } else {
            out.add(new Segment(text, true));
        }
    }
}
