package org.escadrille.server.storage;

import java.util.Set;
import org.escadrille.server.storage.StoredFileRepository.FileOwner;
import org.springframework.stereotype.Component;

/**
 * The groups' shared folders, {@code groups/<group>/...}: an object there is named while
 * {@code group_files} has its row (every upload there and every execution's output written there writes
 * one), so that the sweeper removes only what a failed write left behind.
 */
@Component
class GroupFileNames implements StoredObjectOwner {
    private final StoredFileRepository files;

    GroupFileNames(StoredFileRepository files) {
        this.files = files;
    }

    @Override
    public Set<String> prefixes() {
        return Set.of(GroupFolders.PREFIX);
    }

    @Override
    public boolean names(String key) {
        int slash = key.indexOf('/', GroupFolders.PREFIX.length());
        if (!key.startsWith(GroupFolders.PREFIX) || slash < 0) {
            return false;
        }
        String group = key.substring(GroupFolders.PREFIX.length(), slash);
        return files.find(FileOwner.group(group), key.substring(slash + 1)).isPresent();
    }
}
