-- Events of an attempt's newest checkpoint on the storage element (Monte-Carlo tasks that write them):
-- kept as the task's partial result if the attempt is lost.
ALTER TABLE attempts ADD COLUMN checkpoint_events BIGINT;
