-- A user's storage quota where it differs from escadrille.storage.quota-default, in bytes (0: no limit).
CREATE TABLE storage_quotas (
    user_id     VARCHAR(32) PRIMARY KEY REFERENCES users (id),
    quota_bytes BIGINT      NOT NULL
);
