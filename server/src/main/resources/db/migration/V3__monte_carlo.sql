-- Monte-Carlo executions: how they are split, their total, and each task's seed and share,
-- so that a run can be followed after a restart and replayed exactly.

CREATE TABLE mc_runs (
    execution_id VARCHAR(32)  PRIMARY KEY REFERENCES executions (id),
    split        VARCHAR(16)  NOT NULL,
    total_events BIGINT       NOT NULL,
    base_seed    BIGINT       NOT NULL,
    max_tasks    INTEGER      NOT NULL,
    replay_of    VARCHAR(32),
    merged_at    BIGINT
);

CREATE TABLE mc_tasks (
    task_id          VARCHAR(32) PRIMARY KEY,  -- written just before its task is queued
    execution_id     VARCHAR(32) NOT NULL REFERENCES executions (id),
    idx              INTEGER     NOT NULL,
    seed             BIGINT      NOT NULL,
    events_requested BIGINT      NOT NULL
);
CREATE INDEX mc_tasks_execution ON mc_tasks (execution_id, idx);

CREATE TABLE merged_outputs (
    execution_id VARCHAR(32)   NOT NULL REFERENCES executions (id),
    output_id    VARCHAR(200)  NOT NULL,
    path         VARCHAR(1024) NOT NULL,
    size         BIGINT        NOT NULL,
    sha256       VARCHAR(64)   NOT NULL,
    PRIMARY KEY (execution_id, output_id)
);
