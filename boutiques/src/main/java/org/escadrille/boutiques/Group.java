package org.escadrille.boutiques;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** A named set of inputs with the rules that tie them: mutually exclusive, one required, all or none. */
public record Group(String id, String name, String description, List<String> members, boolean mutuallyExclusive,
        boolean oneIsRequired, boolean allOrNone) {

    public Group {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
    }

    static Group fromJson(JsonNode g) {
        return new Group(Fields.text(g, "id"), Fields.text(g, "name"), Fields.text(g, "description"),
                Fields.texts(g, "members"), Fields.flag(g, "mutually-exclusive"), Fields.flag(g, "one-is-required"),
                Fields.flag(g, "all-or-none"));
    }
}
