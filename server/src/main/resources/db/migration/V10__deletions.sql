-- A deleted execution stays as a tombstone, hidden from every page and API: its tasks and attempts
-- still count in the platform's accounting, and a pilot may still be finishing one of its tasks.
ALTER TABLE executions ADD COLUMN deleted_at BIGINT;
-- A deleted application that executions refer to is withdrawn instead of erased (provenance).
ALTER TABLE applications ADD COLUMN withdrawn_at BIGINT;
