package org.escadrille.server.security;

/**
 * Who calls, as the authorisation matrix names its columns. "The owner" owns every object the paths
 * name; the other users, the developer and the admin own none of them. "Its pilot" holds the lease of
 * the attempt a pilot path names; "another pilot" is registered too, but under another registration.
 */
enum Role {
    ANONYMOUS("anonymous"),
    OTHER_USER("other"),
    OWNER("owner"),
    DEVELOPER("developer"),
    ADMIN("admin"),
    OTHER_PILOT("pilot"),
    ITS_PILOT("its-pilot");

    final String column;

    Role(String column) {
        this.column = column;
    }

    boolean isPilot() {
        return this == OTHER_PILOT || this == ITS_PILOT;
    }

    boolean isUser() {
        return this != ANONYMOUS && !isPilot();
    }

    static Role ofColumn(String column) {
        for (Role role : values()) {
            if (role.column.equals(column)) {
                return role;
            }
        }
        throw new IllegalArgumentException("no role column '" + column + "'");
    }
}
