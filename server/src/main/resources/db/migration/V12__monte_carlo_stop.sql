-- A Monte-Carlo run its owner stopped early ("stop and merge"): who did. Its tasks were told to
-- stop, and what they simulated was merged as for a normal end, short of the total.
ALTER TABLE mc_runs ADD COLUMN stopped_by VARCHAR(200);
