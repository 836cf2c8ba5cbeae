-- Where an entry's text holds credentials (a JSON array of {kind, start, end}), so that they can
-- be masked before anything leaves the machine. Existing entries were never marked.
ALTER TABLE entries ADD COLUMN secrets TEXT NOT NULL DEFAULT '[]';
