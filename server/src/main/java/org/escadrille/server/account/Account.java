package org.escadrille.server.account;

import java.util.Objects;

/** A person (or robot) who uses the gateway, as the rest of the server sees them once authenticated. */
public record Account(String id, String username, Role role) {

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** What a person may do: admins everything, developers also publish applications. */
    public enum Role {
        ADMIN, DEVELOPER, USER;

        public String authority() {
            return "ROLE_" + name();
        }
    }
}
