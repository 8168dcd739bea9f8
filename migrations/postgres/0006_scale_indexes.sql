-- Every interaction bounded by what it shows, not by history.
--
-- Copies of what lists, scopes and reports select on, kept by the store with every incident
-- write (`derived` true; rows written before this migration are derived by the store when it
-- opens, in batches, from `data` and the timeline):
--   `response_due`, `resolution_due`  the deadline each milestone is judged against;
--   `next_due`       the earliest deadline not yet met, while the incident is active;
--   `missed`         true once a deadline was missed for good (met late, or its breach recorded);
--   `touched_until`  the latest time anything of the incident happened or falls due (its
--                    timeline, its deadlines): a report of a period starting after it needs
--                    no closed incident whose `touched_until` is earlier.
ALTER TABLE incidents ADD COLUMN response_due TIMESTAMPTZ;
ALTER TABLE incidents ADD COLUMN resolution_due TIMESTAMPTZ;
ALTER TABLE incidents ADD COLUMN next_due TIMESTAMPTZ;
ALTER TABLE incidents ADD COLUMN missed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE incidents ADD COLUMN touched_until TIMESTAMPTZ;
ALTER TABLE incidents ADD COLUMN derived BOOLEAN NOT NULL DEFAULT FALSE;

-- Lists of one state (active, resolved), by priority then next deadline, paged.
CREATE INDEX incidents_state_order ON incidents (state, priority, next_due, id);
-- Scopes over deadlines (breached this week) and reports over a period.
CREATE INDEX incidents_response_due ON incidents (response_due);
CREATE INDEX incidents_resolution_due ON incidents (resolution_due);
CREATE INDEX incidents_state_touched ON incidents (state, touched_until);
CREATE INDEX incidents_derived ON incidents (derived) WHERE NOT derived;

-- Retention (done jobs by when they ran) and the latest activity (MAX of that).
CREATE INDEX jobs_state_fired ON jobs (state, fired_at);
