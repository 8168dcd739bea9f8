-- Each job state indexed only where a query reads jobs of that state, so a job written once
-- and moved through its states (pending, running, then done) touches few index pages.
--
-- The two indexes this replaces held every job in every state: `(state, due_at)` kept every
-- done job at its due time (each finish one more scattered page), and `(state, fired_at)`
-- kept every pending job (each claim one more scattered page). Each index below is partial,
-- on exactly the `state = '…'` term its queries write:
--   pending, by due time    the claim, the next wake-up, the due-jobs gauge;
--   running, by due time    the lease sweep, a release, the due-jobs gauge (few rows);
--   done, by fired time     the purge and the latest activity;
--   cancelled, by due time  the purge;
--   failed, by kind         the failed-jobs list (retry).
DROP INDEX jobs_state_due;
DROP INDEX jobs_state_fired;
CREATE INDEX jobs_pending_due ON jobs (due_at) WHERE state = 'pending';
CREATE INDEX jobs_running_due ON jobs (due_at) WHERE state = 'running';
CREATE INDEX jobs_done_fired ON jobs (fired_at) WHERE state = 'done';
CREATE INDEX jobs_cancelled_due ON jobs (due_at) WHERE state = 'cancelled';
CREATE INDEX jobs_failed_kind ON jobs (kind, due_at) WHERE state = 'failed';
