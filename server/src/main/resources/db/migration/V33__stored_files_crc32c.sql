-- The CRC32C (8 hexadecimal digits) of a file the server wrote itself through the files API, computed
-- beside its SHA-256 as the upload streamed in and sent with a download (X-Escadrille-CRC32C) for the
-- client to check the transfer with, far cheaper than the SHA-256; for an upload straight to S3, the one
-- the client named completing it. Null where none is known: files written before this column, executions'
-- outputs, direct uploads completed without one; clients check the SHA-256 then.
ALTER TABLE stored_files ADD COLUMN crc32c VARCHAR(8);
ALTER TABLE group_files ADD COLUMN crc32c VARCHAR(8);
