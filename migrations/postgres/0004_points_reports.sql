-- Meeting follow-up points and stored reports.
--
-- `meeting_points`: one row per point raised in a meeting; `text` is what the user typed
-- (data, never wording of vakt's); done when `done_at` is set. Numbers are global, so unique
-- per agreement too.
--
-- `reports`: every generated report with the data it was computed from, so it can be
-- reproduced and compared: `content` is the report as JSON (figures and ids), `sources` the
-- JSON list of {incident, version} it counted, `changes` (NULL for revision 1) the JSON
-- {added, removed, changed} incident ids since the previous revision.
CREATE TABLE meeting_points (
    id           BIGSERIAL   PRIMARY KEY,
    agreement_id TEXT        NOT NULL,
    meeting      TEXT        NOT NULL,
    text         TEXT        NOT NULL,
    owner        TEXT,
    due_at       TIMESTAMPTZ NOT NULL,
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    done_at      TIMESTAMPTZ,
    done_by      TEXT
);

CREATE INDEX meeting_points_agreement ON meeting_points (agreement_id, done_at, due_at);

CREATE TABLE reports (
    id           BIGSERIAL   PRIMARY KEY,
    agreement_id TEXT        NOT NULL,
    kind         TEXT        NOT NULL,
    period       TEXT        NOT NULL,
    revision     INTEGER     NOT NULL,
    content      TEXT        NOT NULL,
    sources      TEXT        NOT NULL,
    changes      TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (agreement_id, kind, period, revision)
);
