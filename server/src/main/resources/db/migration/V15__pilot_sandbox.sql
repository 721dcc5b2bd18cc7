-- Whether a pilot runs its host tasks in a sandbox (it says so when it registers); outside a
-- one-user installation only such pilots get tasks, also after the server restarts.
ALTER TABLE pilots ADD COLUMN sandboxed BOOLEAN DEFAULT FALSE NOT NULL;
