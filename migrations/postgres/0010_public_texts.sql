-- What an incident says in public (issue 21, the status page): the texts responders publish,
-- each with when and by whom (the author is kept for the record and never shown). An incident
-- appears on its agreement's status page only once it has one; the first is its public
-- statement, later ones its public updates. Rows are only ever added.
CREATE TABLE public_texts (
    id           BIGSERIAL   PRIMARY KEY,
    agreement_id TEXT        NOT NULL,
    incident_id  TEXT        NOT NULL REFERENCES incidents (id),
    body         TEXT        NOT NULL,
    author       TEXT        NOT NULL,
    published_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX public_texts_agreement ON public_texts (agreement_id, incident_id, published_at);
