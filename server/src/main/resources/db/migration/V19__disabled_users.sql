-- An administrator may disable an account (when, or null: enabled): no sign-in and no API key until it is
-- enabled again; its files, executions and queued tasks stay.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
