-- Case types besides incidents (orders, problems, change requests, enquiries): each row's
-- type, a copy of `data`'s `case_type` kept by the store with every write. Every row before
-- this migration is an incident. Lists filter on it within an agreement.
ALTER TABLE incidents ADD COLUMN case_type TEXT NOT NULL DEFAULT 'incident';
CREATE INDEX incidents_agreement_case_type ON incidents (agreement, case_type, state);
