package org.escadrille.server.group;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** A group of users, with its members (empty in lists that do not show them). */
public record Group(String name, String description, Instant createdAt, List<GroupMember> members) {
    /** What a group's name may be: it names a folder and a CARMIN path, so lower case, digits, '_' and '-'. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{1,63}");

    public Group {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        members = List.copyOf(members);
    }
}
