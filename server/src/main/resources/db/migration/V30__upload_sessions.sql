-- Users' uploads in progress straight to the storage (S3): the object is written under a staging key,
-- in parts when large (upload_id: the store's multipart upload, null for a single PUT), and moved to
-- the user's path when the client reports it complete. A row older than escadrille.uploads.abandoned-after
-- is aborted with its parts.
CREATE TABLE upload_sessions (
    id          VARCHAR(32)   PRIMARY KEY,
    owner_id    VARCHAR(32)   NOT NULL REFERENCES users (id),
    path        VARCHAR(1100) NOT NULL,
    size        BIGINT        NOT NULL,
    part_size   BIGINT        NOT NULL,
    upload_id   VARCHAR(1024),
    created_at  BIGINT        NOT NULL
);
CREATE INDEX upload_sessions_owner_path ON upload_sessions (owner_id, path);
