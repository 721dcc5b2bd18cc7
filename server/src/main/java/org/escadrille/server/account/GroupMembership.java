package org.escadrille.server.account;

import java.util.List;

/**
 * Which groups a user belongs to, for the features that count or limit by group (limits, usage
 * accounting, shared folders, restricted applications). Group names are the {@code user_groups} table's
 * keys.
 */
public interface GroupMembership {
    /** The groups {@code username} belongs to, by name, sorted; empty for none. */
    List<String> groupsOf(String username);

    /** The usernames of a group's members, sorted; empty for an unknown group. */
    List<String> membersOf(String group);
}
