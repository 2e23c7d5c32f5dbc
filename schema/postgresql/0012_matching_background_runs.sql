-- 0012 background matching runs (PostgreSQL): a run is recorded as
-- running and queued; one worker, in any plugin instance on the database,
-- claims it with a conditional update and does the work, reporting progress
-- on the job the run names. A landed step is never edited.

ALTER TABLE {prefix}matching_runs ADD COLUMN jobid BIGINT CONSTRAINT fk_{prefix}matching_runs_jobid REFERENCES {prefix}jobs (id);
ALTER TABLE {prefix}matching_runs ADD COLUMN claimed_by VARCHAR(100) NOT NULL DEFAULT '';
ALTER TABLE {prefix}matching_runs ADD COLUMN claimed_at BIGINT;

-- The queue: running runs no worker has claimed yet.
CREATE INDEX ix_{prefix}matching_runs_unclaimed ON {prefix}matching_runs (id) WHERE state = 'running' AND claimed_at IS NULL;
