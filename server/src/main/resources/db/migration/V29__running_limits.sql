-- A user's or a group's own limit on executions not ended at once, where it differs from
-- escadrille.limits.max-running-executions (0: no limit). Keyed by name: a group has no other key
-- yet, and a user's name never changes.
CREATE TABLE user_limits (
    username               VARCHAR(64) PRIMARY KEY,
    max_running_executions INTEGER     NOT NULL
);

CREATE TABLE group_limits (
    group_name             VARCHAR(64) PRIMARY KEY,
    max_running_executions INTEGER     NOT NULL
);

-- A launch that waits for one of its owner's executions to end (escadrille.limits.over-limit=queue):
-- the request as it came (JSON), planned again when it starts; NULL once started (or never held).
ALTER TABLE executions ADD COLUMN waiting_launch TEXT;
