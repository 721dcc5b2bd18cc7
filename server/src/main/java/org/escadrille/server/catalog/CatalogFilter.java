package org.escadrille.server.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.escadrille.boutiques.json.JsonDocuments;
import tools.jackson.databind.JsonNode;

/**
 * Which applications a catalogue list shows: those whose name or description contains {@code text}
 * (ignoring case; null: any) and that carry {@code tag} (ignoring case; null: any), a tag being one of
 * {@link #tags}.
 */
public record CatalogFilter(String text, String tag) {
    public static final CatalogFilter ALL = new CatalogFilter(null, null);

    public CatalogFilter {
        text = text == null || text.isBlank() ? null : text.strip();
        tag = tag == null || tag.isBlank() ? null : tag.strip();
    }

    boolean matches(Application app) {
        if (text == null && tag == null) {
            return true;
        }
        JsonNode descriptor = JsonDocuments.parse(app.descriptorJson());
        String needle = text == null ? null : text.toLowerCase(Locale.ROOT);
        boolean textMatches = needle == null || app.name().toLowerCase(Locale.ROOT).contains(needle)
                || descriptor.path("description").asString("").toLowerCase(Locale.ROOT).contains(needle);
        return textMatches && (tag == null || tags(descriptor).stream().anyMatch(t -> t.equalsIgnoreCase(tag)));
    }

    /**
     * A descriptor's Boutiques {@code tags} object as words: {@code "domain": "neuro"} is {@code domain:neuro},
     * a list gives one word per value, {@code "gpu": true} is {@code gpu} and {@code false} none.
     */
    public static List<String> tags(JsonNode descriptor) {
        var words = new ArrayList<String>();
        for (var tag : descriptor.path("tags").properties()) {
            JsonNode value = tag.getValue();
            if (value.isBoolean()) {
                if (value.asBoolean()) {
                    words.add(tag.getKey());
                }
            } else if (value.isArray()) {
                value.forEach(item -> words.add(tag.getKey() + ":" + item.asString()));
            } else {
                words.add(tag.getKey() + ":" + value.asString());
            }
        }
        return words;
    }

    /** The tags of a published application's descriptor. */
    public static List<String> tags(Application app) {
        return tags(JsonDocuments.parse(app.descriptorJson()));
    }
}
