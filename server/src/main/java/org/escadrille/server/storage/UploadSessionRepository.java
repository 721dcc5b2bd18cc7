package org.escadrille.server.storage;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of upload_sessions: users' uploads in progress straight to the storage. */
@Repository
class UploadSessionRepository {
    private static final String COLUMNS = "id, owner_id, path, size, part_size, upload_id, created_at, object_key";

    private final JdbcClient jdbc;

    UploadSessionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UploadSession session) {
        jdbc.sql("INSERT INTO upload_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(session.id(), session.ownerId(), session.path(), session.size(), session.partSize(),
                        session.uploadId(), session.createdAtMs(), session.objectKey())
                .update();
    }

    /** The owner's session, or none (another user's is none too). */
    Optional<UploadSession> find(String ownerId, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM upload_sessions WHERE id = ? AND owner_id = ?")
                .params(id, ownerId).query(UploadSessionRepository::row).optional();
    }

    /** The owner's latest session of a file of this path and size: the one to resume. */
    Optional<UploadSession> findResumable(String ownerId, String path, long size) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM upload_sessions WHERE owner_id = ? AND path = ? AND size = ?"
                        + " ORDER BY created_at DESC")
                .params(ownerId, path, size).query(UploadSessionRepository::row).list().stream().findFirst();
    }

    /** Whether an upload in progress writes straight to this storage key. */
    boolean writesTo(String key) {
        return jdbc.sql("SELECT COUNT(*) FROM upload_sessions WHERE object_key = ?").param(key).query(Long.class).single() > 0;
    }

    List<UploadSession> startedBefore(long ms) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM upload_sessions WHERE created_at < ?")
                .param(ms).query(UploadSessionRepository::row).list();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM upload_sessions WHERE id = ?").param(id).update();
    }

    private static UploadSession row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new UploadSession(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getString(6), rs.getLong(7), rs.getString(8));
    }
}
