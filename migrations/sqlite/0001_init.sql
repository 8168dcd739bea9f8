-- vakt storage, SQLite.
--
-- Timestamps are UTC as TEXT in one fixed RFC 3339 shape, `YYYY-MM-DDTHH:MM:SS.ffffffZ`
-- (always six fraction digits), so text order is time order and values are exact to the
-- microsecond, like PostgreSQL's TIMESTAMPTZ. JSON columns hold serde_json text.

-- One row per incident. `data` is the whole incident (serde_json); the other columns are
-- copies for filtering and sorting. `version` is the optimistic-concurrency version.
CREATE TABLE incidents (
    id          TEXT    NOT NULL PRIMARY KEY,
    agreement   TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    priority    TEXT    NOT NULL,
    reported_at TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    data        TEXT    NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE INDEX incidents_agreement_state ON incidents (agreement, state);
CREATE INDEX incidents_reported_at ON incidents (reported_at);

-- What happened to an incident, in order. Append-only.
CREATE TABLE timeline (
    incident_id TEXT    NOT NULL REFERENCES incidents (id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    event       TEXT    NOT NULL CHECK (json_valid(event)),
    PRIMARY KEY (incident_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER timeline_no_update BEFORE UPDATE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'timeline is append-only');
END;

CREATE TRIGGER timeline_no_delete BEFORE DELETE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'timeline is append-only');
END;

-- Incident numbers: `next` is the number the next call hands out.
CREATE TABLE incident_sequences (
    prefix TEXT    NOT NULL,
    year   INTEGER NOT NULL,
    next   INTEGER NOT NULL CHECK (next >= 1),
    PRIMARY KEY (prefix, year)
) STRICT, WITHOUT ROWID;

-- Durable jobs. `key` is the idempotency key; `id` doubles as the chat nonce.
CREATE TABLE jobs (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    key         TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    incident_id TEXT    REFERENCES incidents (id),
    grp         TEXT    NOT NULL,
    due_at      TEXT    NOT NULL,
    payload     TEXT    NOT NULL CHECK (json_valid(payload)),
    state       TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT,
    last_error  TEXT,
    fired_at    TEXT,
    late        INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    outcome     TEXT,
    created_at  TEXT    NOT NULL
) STRICT;

CREATE INDEX jobs_state_due ON jobs (state, due_at);
CREATE INDEX jobs_incident ON jobs (incident_id);
