package org.escadrille.server.storage;

import java.util.Set;
import org.escadrille.server.account.AccountService;
import org.springframework.stereotype.Component;

/**
 * The users' spaces, {@code users/<username>/...}: an object there is named while {@code stored_files}
 * has its row (every upload, every execution's output, every merged result writes one). A space whose
 * user is gone names nothing.
 */
@Component
class UserFileNames implements StoredObjectOwner {
    static final String PREFIX = "users/";

    private final AccountService accounts;
    private final StoredFileRepository files;

    UserFileNames(AccountService accounts, StoredFileRepository files) {
        this.accounts = accounts;
        this.files = files;
    }

    @Override
    public Set<String> prefixes() {
        return Set.of(PREFIX);
    }

    @Override
    public boolean names(String key) {
        int slash = key.indexOf('/', PREFIX.length());
        if (!key.startsWith(PREFIX) || slash < 0) {
            return false;
        }
        String path = key.substring(slash + 1);
        return accounts.findByUsername(key.substring(PREFIX.length(), slash))
                .map(owner -> files.find(owner.id(), path).isPresent())
                .orElse(false);
    }
}
