package org.escadrille.server.group;

/** A group a user belongs to, and their role there. */
public record Membership(String group, GroupRole role) {
}
