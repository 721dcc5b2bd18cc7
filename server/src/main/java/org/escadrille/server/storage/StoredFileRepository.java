package org.escadrille.server.storage;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of stored_files and group_files: the checksum and size of every file in every user's space and in
 * every group's shared folder. Both tables have the same columns but for their owner's, so each query is
 * written once and names its table through a {@link FileOwner}.
 */
@Repository
class StoredFileRepository {
    private final JdbcClient jdbc;

    StoredFileRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whose records: a user's ({@code stored_files}, by user id) or a group's ({@code group_files}, by name). */
    record FileOwner(String table, String column, String id) {
        static FileOwner user(String userId) {
            return new FileOwner("stored_files", "owner_id", userId);
        }

        static FileOwner group(String groupName) {
            return new FileOwner("group_files", "group_name", groupName);
        }
    }

    void upsert(FileOwner owner, StoredFile file) {
        // crc32c is written even when null: a CRC32C of the bytes replaced must not stay beside the new SHA-256.
        int updated = jdbc.sql("UPDATE " + owner.table() + " SET size = ?, sha256 = ?, modified_at = ?, crc32c = ? WHERE "
                        + owner.column() + " = ? AND path = ?")
                .params(file.size(), file.sha256(), file.modifiedAtMs(), file.crc32c(), owner.id(), file.path())
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO " + owner.table() + " (" + owner.column()
                            + ", path, size, sha256, modified_at, crc32c) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(owner.id(), file.path(), file.size(), file.sha256(), file.modifiedAtMs(), file.crc32c())
                    .update();
        }
    }

    Optional<StoredFile> find(FileOwner owner, String path) {
        return jdbc.sql("SELECT path, size, sha256, modified_at, crc32c FROM " + owner.table() + " WHERE " + owner.column()
                        + " = ? AND path = ?")
                .params(owner.id(), path)
                .query((rs, n) -> new StoredFile(rs.getString(1), UserPath.of(rs.getString(1)).name(), rs.getLong(2),
                        rs.getString(3), rs.getLong(4), rs.getString(5)))
                .optional();
    }

    Optional<StoredFile> find(String ownerId, String path) {
        return find(FileOwner.user(ownerId), path);
    }

    /** The bytes of every file the user holds in their own space. */
    long bytesUsed(String ownerId) {
        return jdbc.sql("SELECT COALESCE(SUM(size), 0) FROM stored_files WHERE owner_id = ?").param(ownerId)
                .query(Long.class).single();
    }

    void deleteUnder(FileOwner owner, String path) {
        jdbc.sql("DELETE FROM " + owner.table() + " WHERE " + owner.column() + " = ? AND (path = ? OR path LIKE ?)")
                .params(owner.id(), path, escapeLike(path) + "/%")
                .update();
    }

    void deleteAll(FileOwner owner) {
        jdbc.sql("DELETE FROM " + owner.table() + " WHERE " + owner.column() + " = ?").param(owner.id()).update();
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
