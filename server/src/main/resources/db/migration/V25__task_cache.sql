-- The task cache (docs/footprint.md, "Task cache"): a task's owner and its cache key, the SHA-256 of
-- what decides its outputs (tool digest, rendered command line, configuration files, environment,
-- container image, input checksums); NULL for a task that can never be reused (a Monte-Carlo task, a
-- tool that opts out) and for tasks stored before. A succeeded task of the same owner with the same
-- key is found by one indexed query.
ALTER TABLE tasks ADD COLUMN owner_id VARCHAR(32);
ALTER TABLE tasks ADD COLUMN cache_key VARCHAR(64);
CREATE INDEX tasks_cache ON tasks (owner_id, cache_key);

-- A task that reused a cached task's outputs (reused_from names it) rather than one that a re-run of
-- only what failed reused.
ALTER TABLE tasks ADD COLUMN cached BOOLEAN DEFAULT FALSE NOT NULL;
