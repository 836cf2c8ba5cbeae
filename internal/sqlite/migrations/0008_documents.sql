-- Documents written about an incident (the RCA, the runbook): each one's current state. Its
-- past states are revisions with subject 'document' in the incident's log.
CREATE TABLE documents (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    UNIQUE (incident_id, kind)
);
