package org.escadrille.server.group;

import java.util.Objects;

/** One member of a group and their role there. */
public record GroupMember(String username, GroupRole role) {
    public GroupMember {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
    }
}
