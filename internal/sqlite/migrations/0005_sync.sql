-- Sync: which incidents are shared through which system, and what is waiting to be sent.

-- An incident linked to a system (GitLab, Slack): where it is there. One link per system.
CREATE TABLE sync_links (
	incident_id TEXT NOT NULL REFERENCES incidents (id),
	target      TEXT NOT NULL,  -- "gitlab", "slack"
	remote      TEXT NOT NULL,  -- JSON: the target's own description (project, issue iid, channel…)
	linked_at   INTEGER NOT NULL,
	PRIMARY KEY (incident_id, target)
) STRICT, WITHOUT ROWID;

-- The outbox: a subject (incident, entry, task) whose latest state a target has not received.
-- A change and its outbox row commit together, so nothing is lost between them; a second change
-- before the first is sent only moves seq (the target is sent the state as it is when the row
-- is delivered). A change that came from a target is never queued for that same target.
CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY,
	incident_id TEXT NOT NULL REFERENCES incidents (id),
	target      TEXT NOT NULL,
	subject     TEXT NOT NULL,    -- "incident", "entry", "task"
	subject_id  TEXT NOT NULL,
	seq         INTEGER NOT NULL, -- the revision (in the incident's log) it must deliver at least
	state       TEXT NOT NULL,    -- "pending" or "failed" (delivered rows are deleted)
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     INTEGER NOT NULL, -- not before this time (UTC ns): backoff
	last_error  TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	UNIQUE (target, subject_id)
) STRICT;
CREATE INDEX outbox_due ON outbox (target, state, next_at, id);
