-- Priorities within a user's executions (fair share decides between users).
ALTER TABLE executions ADD COLUMN priority INTEGER DEFAULT 0 NOT NULL;
