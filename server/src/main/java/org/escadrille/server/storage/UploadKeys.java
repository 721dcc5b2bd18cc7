package org.escadrille.server.storage;

import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Users' uploads in parts in progress, which write straight to their file's key in the user's space or a
 * group's folder: such a key is named while its session lasts, so that the sweeper neither aborts the upload
 * after its 24 h grace (a resumable upload of a new file has no record yet) nor removes the object there.
 * The session's own expiry ({@code escadrille.uploads.abandoned-after}) aborts it.
 */
@Component
class UploadKeys implements StoredObjectOwner {
    private final UploadSessionRepository sessions;

    UploadKeys(UploadSessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Set<String> prefixes() {
        return Set.of(UserFileNames.PREFIX, GroupFolders.PREFIX);
    }

    @Override
    public boolean names(String key) {
        return sessions.writesTo(key);
    }
}
