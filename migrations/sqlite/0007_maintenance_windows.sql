-- Maintenance windows announced for a service of an agreement (issue 17).
--
-- One row per window: the agreement, service and maintenance kind (ids from the agreement
-- file), its start and announced end, what is done (as typed), who announced it and when.
-- `breaches` is the JSON list of rules it breaks (data naming their clauses, never
-- wording), recorded anyway by a manager with `reason`; `[]` when it keeps them all. A
-- cancelled window keeps its row with `cancelled_at` and `cancelled_by`. Timestamps as in 0001.
CREATE TABLE maintenance_windows (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_id TEXT    NOT NULL,
    service      TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    starts_at    TEXT    NOT NULL,
    ends_at      TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    announced_by TEXT    NOT NULL,
    announced_at TEXT    NOT NULL,
    breaches     TEXT    NOT NULL,
    reason       TEXT,
    cancelled_at TEXT,
    cancelled_by TEXT
) STRICT;

CREATE INDEX maintenance_windows_agreement ON maintenance_windows (agreement_id, starts_at);
