package org.escadrille.server.storage;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of storage_quotas: the users whose quota is their own rather than the default. */
@Repository
class StorageQuotaRepository {
    private final JdbcClient jdbc;

    StorageQuotaRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Long> find(String userId) {
        return jdbc.sql("SELECT quota_bytes FROM storage_quotas WHERE user_id = ?").param(userId).query(Long.class).optional();
    }

    /** Sets the user's own quota, or with null removes it. */
    void set(String userId, Long bytes) {
        jdbc.sql("DELETE FROM storage_quotas WHERE user_id = ?").param(userId).update();
        if (bytes != null) {
            jdbc.sql("INSERT INTO storage_quotas (user_id, quota_bytes) VALUES (?, ?)").params(userId, bytes).update();
        }
    }
}
