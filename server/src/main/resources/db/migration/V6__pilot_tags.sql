-- The tags a pilot registered with (comma-separated), matched against its tasks' required tags.
ALTER TABLE pilots ADD COLUMN tags VARCHAR(2000);
