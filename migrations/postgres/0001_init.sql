-- vakt storage, PostgreSQL. Unqualified names: the tables live in the connection's
-- search_path (the `public` schema, or the schema given to `connect_in_schema`).

-- One row per incident. `data` is the whole incident (serde_json); the other columns are
-- copies for filtering and sorting. `version` is the optimistic-concurrency version.
CREATE TABLE incidents (
    id          TEXT        NOT NULL PRIMARY KEY,
    agreement   TEXT        NOT NULL,
    state       TEXT        NOT NULL,
    priority    TEXT        NOT NULL,
    reported_at TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT      NOT NULL CHECK (version >= 1),
    data        JSONB       NOT NULL
);

CREATE INDEX incidents_agreement_state ON incidents (agreement, state);
CREATE INDEX incidents_reported_at ON incidents (reported_at);

-- What happened to an incident, in order. Append-only.
CREATE TABLE timeline (
    incident_id TEXT        NOT NULL REFERENCES incidents (id),
    seq         INTEGER     NOT NULL CHECK (seq >= 1),
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT        NOT NULL,
    event       JSONB       NOT NULL,
    PRIMARY KEY (incident_id, seq)
);

CREATE FUNCTION timeline_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'timeline is append-only';
END
$$;

CREATE TRIGGER timeline_append_only BEFORE UPDATE OR DELETE ON timeline
    FOR EACH ROW EXECUTE FUNCTION timeline_append_only();

-- Incident numbers: `next` is the number the next call hands out.
CREATE TABLE incident_sequences (
    prefix TEXT    NOT NULL,
    year   INTEGER NOT NULL,
    next   BIGINT  NOT NULL CHECK (next >= 1),
    PRIMARY KEY (prefix, year)
);

-- Durable jobs. `key` is the idempotency key; `id` doubles as the chat nonce.
CREATE TABLE jobs (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         TEXT        NOT NULL UNIQUE,
    kind        TEXT        NOT NULL,
    incident_id TEXT        REFERENCES incidents (id),
    grp         TEXT        NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    payload     JSONB       NOT NULL,
    state       TEXT        NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    attempts    INTEGER     NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    last_error  TEXT,
    fired_at    TIMESTAMPTZ,
    late        BOOLEAN     NOT NULL DEFAULT FALSE,
    outcome     TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- `id` last so the claim's `ORDER BY due_at, id` reads the index in order (SQLite's indexes
-- end in the rowid anyway).
CREATE INDEX jobs_state_due ON jobs (state, due_at, id);
CREATE INDEX jobs_incident ON jobs (incident_id);
