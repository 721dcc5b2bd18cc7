-- A user's upload in parts now goes straight to the file's own key, where S3 keeps the previous object
-- whole until the upload completes, instead of a staging key copied to the path at the end (a copy of
-- the whole file). object_key: that key, fixed when the upload starts; null for a file of one part,
-- still PUT to its staging key uploads/<id>, and for uploads begun before this column existed.
ALTER TABLE upload_sessions ADD COLUMN object_key VARCHAR(1200);
CREATE INDEX upload_sessions_object_key ON upload_sessions (object_key);
