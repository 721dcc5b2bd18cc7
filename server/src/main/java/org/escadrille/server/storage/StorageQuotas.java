package org.escadrille.server.storage;

import java.util.Optional;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.account.Account;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Users' storage quotas: {@code escadrille.storage.quota-default} for everyone, or a user's own
 * (table {@code storage_quotas}, set by an admin). Usage is what {@code stored_files} records.
 */
@Service
public class StorageQuotas {
    private final StorageQuotaRepository quotas;
    private final StoredFileRepository files;
    private final long defaultBytes;

    @Autowired
    StorageQuotas(StorageQuotaRepository quotas, StoredFileRepository files, EscadrilleProperties properties) {
        this(quotas, files, properties.storage().quotaDefault().toBytes());
    }

    /** With this default quota: for tests without Spring. */
    StorageQuotas(StorageQuotaRepository quotas, StoredFileRepository files, long defaultBytes) {
        this.quotas = quotas;
        this.files = files;
        this.defaultBytes = defaultBytes;
    }

    public StorageUsage usage(Account owner) {
        return new StorageUsage(files.bytesUsed(owner.id()), quotaOf(owner));
    }

    /** The user's quota in bytes (0: no limit): their own, else the default. A key lookup: usage, a sum, is read only under a quota. */
    public long quotaOf(Account owner) {
        return own(owner).orElse(defaultBytes);
    }

    /** The user's own quota, if an admin set one. */
    public Optional<Long> own(Account owner) {
        return quotas.find(owner.id());
    }

    /** Sets the user's own quota (0: no limit), or with null puts them back on the default. */
    public void setOwn(Account owner, Long bytes) {
        if (bytes != null && bytes < 0) {
            throw new IllegalArgumentException("a quota is 0 (no limit) or more bytes, got " + bytes);
        }
        quotas.set(owner.id(), bytes);
    }

    /**
     * Refuses ({@link StorageQuotaExceededException}) a write of {@code adding} bytes that replaces files of
     * {@code freeing} bytes when the result would pass the owner's quota.
     */
    public void requireRoom(Account owner, String what, long adding, long freeing) {
        long quota = quotaOf(owner);
        if (quota <= 0) {
            return;
        }
        var usage = new StorageUsage(files.bytesUsed(owner.id()), quota);
        if (usage.usedBytes() - freeing + adding > usage.quotaBytes()) {
            throw new StorageQuotaExceededException(what, usage);
        }
    }
}
