-- What monitoring told vakt, once: each alert event an intake source delivered (a firing or
-- resolved alert, by a digest of what identifies it) and the incident it went to. A re-sent
-- notification finds its receipts and changes nothing; the latest receipt of a dedup key names
-- the incident that key belongs to. `receipt` is `open/<n>/<dedup digest>` for the event that
-- opened the key's n-th incident, so two replicas opening the same key race on the primary key
-- and one of them retries as an addition.
CREATE TABLE alert_receipts (
    source      TEXT        NOT NULL,
    receipt     TEXT        NOT NULL,
    dedup_key   TEXT        NOT NULL,
    incident_id TEXT        NOT NULL REFERENCES incidents (id),
    seq         BIGINT      NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source, receipt)
);

CREATE INDEX alert_receipts_key ON alert_receipts (source, dedup_key, seq);
