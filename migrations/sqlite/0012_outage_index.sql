-- A month's availability counts the outages of the year to date: the incidents with an
-- outage marked, found by this index among the agreement's incidents instead of among every
-- incident touched since 1 January. Partial: only incidents with a marking are in it, so it
-- costs other writes nothing but the test. The expression is the one the store's queries
-- write (`IncidentFilter::with_outage`).
CREATE INDEX incidents_outage ON incidents (agreement) WHERE json_extract(data, '$.outage') IS NOT NULL;
