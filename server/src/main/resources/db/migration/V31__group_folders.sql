-- The files of groups' shared folders (storage keys groups/<group>/...): the same columns as stored_files,
-- but owned by a group, which stored_files' key to users cannot name. Files there count against no
-- user's quota (docs/groups.md).
CREATE TABLE group_files (
    group_name  VARCHAR(64)   NOT NULL,
    path        VARCHAR(1024) NOT NULL,
    size        BIGINT        NOT NULL,
    sha256      VARCHAR(64)   NOT NULL,
    modified_at BIGINT        NOT NULL,
    PRIMARY KEY (group_name, path)
);
