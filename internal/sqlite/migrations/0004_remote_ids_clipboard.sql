-- A task's GitLab issue is sync bookkeeping, not part of the record: it lives in remote_ids (as
-- every subject's remote id does), outside the hashed state. The column was never written.
ALTER TABLE tasks DROP COLUMN remote_id;

-- The contents the clipboard watch recorded, per incident (SHA-256 of the content), so that a
-- restart of the app does not record the same content again.
CREATE TABLE clipboard_seen (
	incident_id TEXT NOT NULL REFERENCES incidents (id),
	sha256      TEXT NOT NULL,
	PRIMARY KEY (incident_id, sha256)
) STRICT, WITHOUT ROWID;
