-- Where the bot's chat messages live, so a card can be edited and a conversation found again
-- after a restart, and a retried job sees its earlier post instead of posting twice. `key` is
-- `card/<incident>`, `conversation/<incident>` or `job/<job id>`; `channel` and `message` are
-- the chat adapter's opaque ids. `incident_id` is set for cards and conversations (to list an
-- incident's references) and NULL for job posts (listed through the job's incident).
CREATE TABLE chat_refs (
    key         TEXT        NOT NULL PRIMARY KEY,
    incident_id TEXT        REFERENCES incidents (id),
    channel     TEXT        NOT NULL,
    message     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX chat_refs_incident ON chat_refs (incident_id);
