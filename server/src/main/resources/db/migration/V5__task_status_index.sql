-- "Is any task of this execution still live?" is asked at every task's end: answer it from an index.
CREATE INDEX tasks_execution_status ON tasks (execution_id, status);
