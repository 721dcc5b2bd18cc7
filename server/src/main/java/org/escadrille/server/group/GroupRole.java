package org.escadrille.server.group;

/** A member's role in a group: a group administrator also manages its members and sees their executions. */
public enum GroupRole {
    MEMBER, ADMIN
}
