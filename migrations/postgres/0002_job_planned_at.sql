-- The time a job was planned for. `due_at` moves when a failed job is retried; `planned_at`
-- does not, so a late or retried job still reports (and continues a cadence from) the time
-- it was meant for.
ALTER TABLE jobs ADD COLUMN planned_at TIMESTAMPTZ;
UPDATE jobs SET planned_at = due_at;
