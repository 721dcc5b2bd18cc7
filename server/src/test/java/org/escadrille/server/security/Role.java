package org.escadrille.server.security;

/**
 * Who calls, as the authorisation matrix names its columns. "The owner" owns every object the paths
 * name; the other users, the developer and the admin own none of them. "Its pilot" holds the lease of
 * the attempt a pilot path names; "another pilot" is registered too, but under another registration.
 * The owner is a member of the group "matrix-team", with "member" and "group-admin".
 */
enum Role {
    ANONYMOUS("anonymous"),
    OTHER_USER("other"),
    OWNER("owner"),
    DEVELOPER("developer"),
    ADMIN("admin"),
    OTHER_PILOT("pilot"),
    ITS_PILOT("its-pilot"),
    /** A member of the owner's group ("matrix-team"), with no role there. */
    MEMBER("member"),
    /** An administrator of the owner's group. */
    GROUP_ADMIN("group-admin"),
    /** A member of another group ("matrix-other"). The "other" user is in no group. */
    OUTSIDER("outsider");

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
