-- The version (the remote object's update time) a subject's remote object had when it was last
-- sent or pulled: a pull applies an edit made there only when the version moved on.
ALTER TABLE remote_ids ADD COLUMN version TEXT NOT NULL DEFAULT '';
