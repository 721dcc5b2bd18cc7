package org.escadrille.server.group;

/**
 * A group was deleted, within the deletion's transaction: features that keep rows naming it (shares)
 * drop them, so that a new group given the same name inherits nothing.
 */
public record GroupDeleted(String name) {
}
