-- The chat interactions already taken on (Discord interaction ids), so one delivered again —
-- after a gateway resume, by two sessions during a leader hand-over, or to another replica of
-- `vakt serve` — is answered once and changes nothing. A row lives as long as its interaction
-- can be answered (15 minutes); expired rows are deleted as new ones are claimed.
CREATE TABLE interactions (
    id         TEXT NOT NULL PRIMARY KEY,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX interactions_expiry ON interactions (expires_at);

-- The gateway's lease: which replica of `vakt run` holds the chat gateway, until when (its own
-- clock). Taken only once expired, renewed by its holder, deleted when given up.
CREATE TABLE leader_lease (
    name       TEXT NOT NULL PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
