package org.escadrille.server.storage;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of stored_files: the checksum and size of every file in every user's space. */
@Repository
class StoredFileRepository {
    private final JdbcClient jdbc;

    StoredFileRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void upsert(String ownerId, StoredFile file) {
        int updated = jdbc.sql("UPDATE stored_files SET size = ?, sha256 = ?, modified_at = ? WHERE owner_id = ? AND path = ?")
                .params(file.size(), file.sha256(), file.modifiedAtMs(), ownerId, file.path())
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO stored_files (owner_id, path, size, sha256, modified_at) VALUES (?, ?, ?, ?, ?)")
                    .params(ownerId, file.path(), file.size(), file.sha256(), file.modifiedAtMs())
                    .update();
        }
    }

    Optional<StoredFile> find(String ownerId, String path) {
        return jdbc.sql("SELECT path, size, sha256, modified_at FROM stored_files WHERE owner_id = ? AND path = ?")
                .params(ownerId, path)
                .query((rs, n) -> new StoredFile(rs.getString(1), UserPath.of(rs.getString(1)).name(), rs.getLong(2),
                        rs.getString(3), rs.getLong(4)))
                .optional();
    }

    /** The bytes of every file the owner holds. */
    long bytesUsed(String ownerId) {
        return jdbc.sql("SELECT COALESCE(SUM(size), 0) FROM stored_files WHERE owner_id = ?").param(ownerId)
                .query(Long.class).single();
    }

    void deleteUnder(String ownerId, String path) {
        jdbc.sql("DELETE FROM stored_files WHERE owner_id = ? AND (path = ? OR path LIKE ?)")
                .params(ownerId, path, escapeLike(path) + "/%")
                .update();
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
