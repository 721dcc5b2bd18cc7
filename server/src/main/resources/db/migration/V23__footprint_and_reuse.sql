-- The processor a pilot's host reported at registration (NULL: unknown, or an older pilot), for the
-- power per core of the footprint (docs/footprint.md).
ALTER TABLE pilots ADD COLUMN cpu_model VARCHAR(200);

-- A task of a re-run of only what failed whose outputs were copied from a task that had succeeded in
-- the original execution (that task's id); NULL for a task that ran.
ALTER TABLE tasks ADD COLUMN reused_from VARCHAR(32);
