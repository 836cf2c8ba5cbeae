-- Blotter's first schema. Times are UTC nanoseconds since the Unix epoch.

-- Small per-database settings: the active incident, the author name.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- Incidents, in their current state. head_seq and head_hash are the last link of the incident's
-- revision log, so that appending a revision needs no scan and verify can tell a cut-off log.
CREATE TABLE incidents (
	id         TEXT PRIMARY KEY,
	title      TEXT NOT NULL,
	severity   TEXT NOT NULL,
	status     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	revision   INTEGER NOT NULL,
	head_seq   INTEGER NOT NULL DEFAULT 0,
	head_hash  TEXT NOT NULL DEFAULT ''
) STRICT;

-- Timeline entries, in their current state. seq is the full-text index's rowid: it grows in the
-- order entries are recorded, which is what makes newest-first search a cheap reverse scan.
CREATE TABLE entries (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	incident_id TEXT NOT NULL REFERENCES incidents (id),
	kind        TEXT NOT NULL,
	occurred_at INTEGER NOT NULL,
	recorded_at INTEGER NOT NULL,
	author      TEXT NOT NULL,
	text        TEXT NOT NULL,
	tags        TEXT NOT NULL, -- JSON array of strings
	evidence    TEXT NOT NULL, -- JSON array of evidence references
	revision    INTEGER NOT NULL,
	deleted     INTEGER NOT NULL
) STRICT;
CREATE INDEX entries_by_time ON entries (incident_id, occurred_at);

CREATE TABLE entry_tags (
	tag       TEXT NOT NULL COLLATE NOCASE,
	entry_seq INTEGER NOT NULL REFERENCES entries (seq),
	PRIMARY KEY (tag, entry_seq)
) STRICT, WITHOUT ROWID;

-- Observables (IOCs) found in entry text, for "every entry that mentions this IP".
CREATE TABLE observables (
	incident_id TEXT NOT NULL,
	kind        TEXT NOT NULL,
	value       TEXT NOT NULL,
	entry_seq   INTEGER NOT NULL REFERENCES entries (seq),
	PRIMARY KEY (incident_id, kind, value, entry_seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX observables_by_entry ON observables (entry_seq);

-- Full-text search over entry text, tags and evidence file names. Contentless: the text lives
-- in entries once; prefix indexes keep short prefix queries from merging thousands of terms.
CREATE VIRTUAL TABLE entry_fts USING fts5 (
	text, tags, files,
	content = '', contentless_delete = 1,
	prefix = '1 2 3',
	tokenize = 'unicode61 remove_diacritics 2'
);

-- The evidence files entries refer to, by digest. held is 1 when this machine's vault stored the
-- file (verify then insists it is there and intact), 0 when only an imported record names it.
CREATE TABLE evidence (
	sha256     TEXT PRIMARY KEY,
	size       INTEGER NOT NULL,
	media_type TEXT NOT NULL,
	held       INTEGER NOT NULL
) STRICT;

-- The tamper-evident log: every change to an incident or an entry, hash-chained per incident.
-- content is the exact hashed text; the other columns are copies of its fields for lookups.
CREATE TABLE revisions (
	id          INTEGER PRIMARY KEY,
	incident_id TEXT NOT NULL REFERENCES incidents (id),
	seq         INTEGER NOT NULL,
	subject     TEXT NOT NULL,
	subject_id  TEXT NOT NULL,
	number      INTEGER NOT NULL,
	action      TEXT NOT NULL,
	by_author   TEXT NOT NULL,
	at          TEXT NOT NULL,
	reason      TEXT NOT NULL,
	content     TEXT NOT NULL,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL,
	UNIQUE (incident_id, seq)
) STRICT;
CREATE INDEX revisions_by_subject ON revisions (subject_id, number);

-- The ids an entry or incident has in GitLab or Slack, once synced: a retried delivery finds
-- its remote object here instead of creating a second one.
CREATE TABLE remote_ids (
	subject_id TEXT NOT NULL,
	system     TEXT NOT NULL,
	remote_id  TEXT NOT NULL,
	PRIMARY KEY (subject_id, system),
	UNIQUE (system, remote_id)
) STRICT;
