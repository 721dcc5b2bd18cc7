-- One schema for H2 (the laptop default) and PostgreSQL (production): portable types only.
-- Times are epoch milliseconds (BIGINT); identifiers are short random strings (see Ids).

CREATE TABLE users (
    id            VARCHAR(32)  PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL UNIQUE,
    password_hash VARCHAR(200) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL
);

CREATE TABLE api_keys (
    id           VARCHAR(32)  PRIMARY KEY,
    user_id      VARCHAR(32)  NOT NULL REFERENCES users (id),
    key_hash     VARCHAR(64)  NOT NULL UNIQUE,
    label        VARCHAR(100) NOT NULL,
    created_at   BIGINT       NOT NULL,
    revoked_at   BIGINT
);

CREATE TABLE applications (
    id           VARCHAR(32)  PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    version      VARCHAR(100) NOT NULL,
    digest       VARCHAR(64)  NOT NULL UNIQUE,
    descriptor   TEXT         NOT NULL,
    published_by VARCHAR(32)  REFERENCES users (id),
    published_at BIGINT       NOT NULL,
    CONSTRAINT applications_name_version UNIQUE (name, version)
);

CREATE TABLE stored_files (
    owner_id    VARCHAR(32)   NOT NULL REFERENCES users (id),
    path        VARCHAR(1024) NOT NULL,
    size        BIGINT        NOT NULL,
    sha256      VARCHAR(64)   NOT NULL,
    modified_at BIGINT        NOT NULL,
    PRIMARY KEY (owner_id, path)
);

CREATE TABLE executions (
    id           VARCHAR(32)   PRIMARY KEY,
    owner_id     VARCHAR(32)   NOT NULL REFERENCES users (id),
    name         VARCHAR(200)  NOT NULL,
    app_id       VARCHAR(32)   NOT NULL REFERENCES applications (id),
    status       VARCHAR(32)   NOT NULL,
    invocation   TEXT          NOT NULL,
    iterate      VARCHAR(8)    NOT NULL,
    output_dir   VARCHAR(1024) NOT NULL,
    created_at   BIGINT        NOT NULL,
    started_at   BIGINT,
    ended_at     BIGINT,
    error        TEXT
);
CREATE INDEX executions_owner ON executions (owner_id, created_at);

CREATE TABLE tasks (
    id           VARCHAR(32)   PRIMARY KEY,
    execution_id VARCHAR(32)   NOT NULL REFERENCES executions (id),
    idx          INTEGER       NOT NULL,
    label        VARCHAR(300)  NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    command_line TEXT          NOT NULL,
    spec         TEXT          NOT NULL,
    output_dir   VARCHAR(1024) NOT NULL,
    attempts     INTEGER       NOT NULL,
    created_at   BIGINT        NOT NULL,
    ended_at     BIGINT
);
CREATE INDEX tasks_execution ON tasks (execution_id, idx);
CREATE INDEX tasks_status ON tasks (status);

CREATE TABLE pilots (
    id                VARCHAR(32)  PRIMARY KEY,
    backend           VARCHAR(32)  NOT NULL,
    token_hash        VARCHAR(64)  NOT NULL UNIQUE,
    state             VARCHAR(16)  NOT NULL,
    host              VARCHAR(255),
    slots             INTEGER,
    created_at        BIGINT       NOT NULL,
    registered_at     BIGINT,
    last_heartbeat_at BIGINT,
    ended_at          BIGINT
);

CREATE TABLE attempts (
    id           VARCHAR(32)  PRIMARY KEY,
    task_id      VARCHAR(32)  NOT NULL REFERENCES tasks (id),
    pilot_id     VARCHAR(32)  NOT NULL REFERENCES pilots (id),
    host         VARCHAR(255),
    status       VARCHAR(16)  NOT NULL,
    leased_at    BIGINT       NOT NULL,
    started_at   BIGINT,
    ended_at     BIGINT,
    exit_code    INTEGER,
    cpu_seconds  DOUBLE PRECISION,
    wall_seconds DOUBLE PRECISION,
    peak_rss_kb  BIGINT,
    bytes_in     BIGINT,
    bytes_out    BIGINT,
    events       BIGINT,
    message      TEXT
);
CREATE INDEX attempts_task ON attempts (task_id);

CREATE TABLE task_outputs (
    task_id      VARCHAR(32)   NOT NULL REFERENCES tasks (id),
    execution_id VARCHAR(32)   NOT NULL REFERENCES executions (id),
    output_id    VARCHAR(200)  NOT NULL,
    path         VARCHAR(1024) NOT NULL,
    size         BIGINT        NOT NULL,
    sha256       VARCHAR(64)   NOT NULL,
    PRIMARY KEY (task_id, path)
);
CREATE INDEX task_outputs_execution ON task_outputs (execution_id);
