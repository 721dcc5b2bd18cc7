-- Groups of users (issue 17): members and group administrators, applications restricted to groups,
-- executions shared with a group or by a link.

CREATE TABLE user_groups (
    name        VARCHAR(64)  PRIMARY KEY,
    description VARCHAR(500) NOT NULL,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE group_members (
    group_name VARCHAR(64) NOT NULL REFERENCES user_groups (name) ON DELETE CASCADE,
    username   VARCHAR(64) NOT NULL REFERENCES users (username),
    role       VARCHAR(16) NOT NULL,
    PRIMARY KEY (group_name, username)
);

CREATE INDEX group_members_username ON group_members (username);

-- A version with rows here is visible only to members of those groups (and admins); none: public.
-- No foreign key to user_groups: the catalogue owns this table. A deleted group's rows stay, so that a
-- version restricted to it never turns public; it stays hidden from all but admins until restricted anew.
CREATE TABLE app_version_groups (
    app_id     VARCHAR(32) NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    group_name VARCHAR(64) NOT NULL,
    PRIMARY KEY (app_id, group_name)
);

-- An execution shared read-only: with a group (group_name set) or by a link (token_hash set).
CREATE TABLE execution_shares (
    id           VARCHAR(32) PRIMARY KEY,
    execution_id VARCHAR(32) NOT NULL REFERENCES executions (id),
    group_name   VARCHAR(64),
    token_hash   VARCHAR(64) UNIQUE,
    created_at   BIGINT      NOT NULL,
    created_by   VARCHAR(64) NOT NULL
);

CREATE INDEX execution_shares_execution ON execution_shares (execution_id);
