package org.escadrille.server.storage;

import java.util.List;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.GroupMembership;
import org.escadrille.server.storage.StoredFileRepository.FileOwner;

/**
 * The groups' shared folders in a user's view: {@code groups/<group>/...} is the folder of a group the
 * caller belongs to (any role), stored under the key prefix {@value #PREFIX}{@code <group>/}, its records
 * in {@code group_files}. A group the caller is not in is answered as a missing file, never as a refusal,
 * so that an outsider learns nothing of what exists.
 */
final class GroupFolders {
    /** The top-level folder of a user's view that holds their groups' folders; it shadows a folder of theirs so named. */
    static final String TOP = "groups";
    static final String PREFIX = "groups/";

    private final GroupMembership membership;

    GroupFolders(GroupMembership membership) {
        this.membership = membership;
    }

    /** Whether the path is the top-level folder of groups itself. */
    static boolean isTop(UserPath path) {
        return path.value().equals(TOP);
    }

    /** Whether the path is under the top-level folder of groups (a group's folder or something in it). */
    static boolean isInGroup(UserPath path) {
        return path.value().startsWith(PREFIX);
    }

    List<String> of(Account caller) {
        return membership.groupsOf(caller.username());
    }

    /** Where a path of the caller's view lives; a path under a group the caller is not in is not found. */
    Place place(Account caller, UserPath path) {
        if (!isInGroup(path)) {
            return new Place("users/" + caller.username() + "/", FileOwner.user(caller.id()), path, true);
        }
        String rest = path.value().substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String group = slash < 0 ? rest : rest.substring(0, slash);
        if (!of(caller).contains(group)) {
            throw new NotFoundException("no file '" + path.value() + "' in your space");
        }
        var folder = folder(group);
        return new Place(folder.home(), folder.records(), UserPath.of(slash < 0 ? "" : rest.substring(slash + 1)), false);
    }

    /** The root of a group's folder, whoever asks. */
    Place folder(String group) {
        var name = UserPath.of(group);
        if (name.isRoot() || name.value().contains("/")) {
            throw new IllegalArgumentException("not a group's name: " + group);
        }
        return new Place(PREFIX + name.value() + "/", FileOwner.group(name.value()), UserPath.of(""), false);
    }

    /**
     * A path's home on the storage element, the records that name its files, and the path within that home;
     * {@code personal} for the caller's own space (where their quota applies).
     */
    record Place(String home, FileOwner records, UserPath path, boolean personal) {
        String key() {
            return home + path.value();
        }

        String key(UserPath within) {
            return home + within.value();
        }
    }
}
