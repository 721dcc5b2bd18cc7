package org.escadrille.server.account;

import java.util.List;
import org.springframework.stereotype.Component;

/** Nobody belongs to any group: the membership of a gateway whose groups are not built yet. */
@Component
class NoGroups implements GroupMembership {
    @Override
    public List<String> groupsOf(String username) {
        return List.of();
    }

    @Override
    public List<String> membersOf(String group) {
        return List.of();
    }
}
