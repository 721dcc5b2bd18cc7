/**
 * Groups of users: their members and group administrators, and the answer to "which groups is this
 * user in" ({@code account.GroupMembership}) that the catalogue, executions and limits ask. Owns the
 * {@code user_groups} and {@code group_members} tables; uses {@code account}, {@code audit} and the
 * root package only, so that every feature above may ask about groups.
 */
package org.escadrille.server.group;
