-- The task board: each task's current state. Its past states are revisions with subject
-- 'task' in the incident's log, like entries.
CREATE TABLE tasks (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    incident_id    TEXT NOT NULL REFERENCES incidents (id),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    assignee       TEXT NOT NULL,
    due_at         TEXT NOT NULL,
    status         TEXT NOT NULL,
    blocked_reason TEXT NOT NULL,
    links          TEXT NOT NULL,
    rank           REAL NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    remote_id      TEXT NOT NULL DEFAULT '',
    revision       INTEGER NOT NULL
);
CREATE INDEX tasks_by_incident ON tasks (incident_id, status, rank);
