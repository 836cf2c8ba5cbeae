package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// TaskFilter selects tasks of an incident.
type TaskFilter struct {
	IncidentID string
	Assignee   string             // exact, case-insensitive; "" for all
	Status     blotter.TaskStatus // "" for all
}

const taskColumns = `id, incident_id, title, description, assignee, due_at, status, blocked_reason, links, rank, created_at, created_by, revision`

func scanTask(row scanner) (*blotter.Task, error) { return scanTaskWith(row) }

// scanTaskWith scans taskColumns followed by extra columns into extra.
func scanTaskWith(row scanner, extra ...any) (*blotter.Task, error) {
	var t blotter.Task
	var links string
	dest := append([]any{&t.ID, &t.IncidentID, &t.Title, &t.Description, &t.Assignee, &t.DueAt, &t.Status,
		&t.BlockedReason, &links, &t.Rank, &t.CreatedAt, &t.CreatedBy, &t.Revision}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(links), &t.Links); err != nil {
		return nil, damaged("task", t.ID, "links", err)
	}
	return &t, nil
}

// AddTask puts a new task on the incident's board, made by ch.By: the task, its first
// revision, and a task entry on the timeline saying so, in one transaction. A task without a
// rank goes to the end of its column. Returns EINVALID, ENOTFOUND (no such incident, or a
// linked entry that is not the incident's).
func (db *DB) AddTask(ctx context.Context, t *blotter.Task, ch blotter.Change) error {
	if t.ID == "" {
		t.ID = blotter.NewID()
	}
	now := db.now()
	t.CreatedAt, t.CreatedBy, t.Revision = blotter.FormatTime(now), ch.By, 1
	if t.Status == "" {
		t.Status = blotter.TaskTodo
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		inc, err := w.loadIncident(t.IncidentID)
		if err != nil {
			return err
		}
		if err := w.checkLinks(t); err != nil {
			return err
		}
		if t.Rank == 0 {
			if t.Rank, err = w.endOfColumn(t.IncidentID, t.Status); err != nil {
				return err
			}
		}
		if err := w.putTask(t); err != nil {
			return err
		}
		return w.recordTaskChange(inc, nil, t, blotter.ActionCreate, ch, now)
	})
}

// UpdateTask changes a task (a move, an assignment, an edit) as change says: the new state,
// its revision, and a task entry on the timeline saying what changed, in one transaction.
// Concurrent changes are applied one after the other, each on the state the last one left.
// Returns ENOTFOUND, EINVALID (including a change that changes nothing).
func (db *DB) UpdateTask(ctx context.Context, id string, ch blotter.Change, change func(*blotter.Task) error) (*blotter.Task, error) {
	if err := ch.Validate(blotter.SubjectTask, blotter.ActionEdit); err != nil {
		return nil, err
	}
	var out *blotter.Task
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		old, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return blotter.Errorf(blotter.ENOTFOUND, "no task %q", id)
		} else if err != nil {
			return err
		}
		t := *old
		t.Links = append([]string{}, old.Links...)
		if err := change(&t); err != nil {
			return err
		}
		if t.Status != blotter.TaskBlocked {
			t.BlockedReason = ""
		}
		t.ID, t.IncidentID, t.CreatedAt, t.CreatedBy, t.Revision = old.ID, old.IncidentID, old.CreatedAt, old.CreatedBy, old.Revision
		if unchanged(old, &t) {
			return nothingToChange("task", id)
		}
		t.Revision++
		if err := t.Validate(); err != nil {
			return err
		}
		if err := w.checkLinks(&t); err != nil {
			return err
		}
		if t.Status != old.Status && t.Rank == old.Rank {
			if t.Rank, err = w.endOfColumn(t.IncidentID, t.Status); err != nil {
				return err
			}
		}
		inc, err := w.loadIncident(t.IncidentID)
		if err != nil {
			return err
		}
		if err := w.putTask(&t); err != nil {
			return err
		}
		if err := w.recordTaskChange(inc, old, &t, blotter.ActionEdit, ch, db.now()); err != nil {
			return err
		}
		out = &t
		return nil
	})
	return out, err
}

// FindTask returns a task by id. Returns ENOTFOUND.
func (db *DB) FindTask(ctx context.Context, id string) (*blotter.Task, error) {
	t, err := scanTask(db.read.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "no task %q", id)
	}
	return t, err
}

// ListTasks returns the tasks the filter selects, column by column in board order, each column
// in rank order.
func (db *DB) ListTasks(ctx context.Context, f TaskFilter) ([]*blotter.Task, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks
		WHERE incident_id = ? AND (? = '' OR lower(assignee) = lower(?)) AND (? = '' OR status = ?)
		ORDER BY CASE status WHEN 'todo' THEN 0 WHEN 'doing' THEN 1 WHEN 'blocked' THEN 2 ELSE 3 END, rank, seq`,
		f.IncidentID, f.Assignee, f.Assignee, string(f.Status), string(f.Status))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tasks := []*blotter.Task{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, t)
	}
	return tasks, rows.Err()
}

// putTask writes the task's state, inserting it if it is new.
func (w *writer) putTask(t *blotter.Task) error {
	_, err := w.exec(`INSERT INTO tasks (id, incident_id, title, description, assignee, due_at, status,
			blocked_reason, links, rank, created_at, created_by, revision)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
			assignee = excluded.assignee, due_at = excluded.due_at, status = excluded.status,
			blocked_reason = excluded.blocked_reason, links = excluded.links, rank = excluded.rank,
			revision = excluded.revision`,
		t.ID, t.IncidentID, t.Title, t.Description, t.Assignee, t.DueAt, string(t.Status), t.BlockedReason,
		mustJSON(t.Links), t.Rank, t.CreatedAt, t.CreatedBy, t.Revision)
	if err != nil {
		return fmt.Errorf("write task: %w", err)
	}
	return nil
}

// recordTaskChange appends the task's revision and a task entry that says what changed, with
// the entry's own revision: the board's history is on the timeline and in the chain.
func (w *writer) recordTaskChange(inc *incidentHead, old, t *blotter.Task, action string, ch blotter.Change, now time.Time) error {
	if _, err := w.appendChange(inc, blotter.RevisionContent{
		Subject: blotter.SubjectTask, SubjectID: t.ID, Revision: t.Revision, Action: action, Task: t,
	}, ch, now); err != nil {
		return err
	}
	text := blotter.DescribeTaskChange(ch.By, old, t)
	if ch.Reason != "" && t.Status != blotter.TaskBlocked {
		text += " (" + ch.Reason + ")"
	}
	// The entry is the change's account on the timeline; the remote id belongs to the task.
	entryChange := ch
	entryChange.Remote, entryChange.Reason = nil, ""
	return w.createEntry(inc, &blotter.Entry{Kind: blotter.KindTask, Text: text}, entryChange, now)
}

// checkLinks makes sure every linked entry is on the task's incident's timeline.
func (w *writer) checkLinks(t *blotter.Task) error {
	for _, id := range t.Links {
		var incidentID string
		err := w.tx.QueryRowContext(w.ctx, `SELECT incident_id FROM entries WHERE id = ?`, id).Scan(&incidentID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && incidentID != t.IncidentID) {
			return blotter.Errorf(blotter.ENOTFOUND, "no entry %q on this incident's timeline to link", id)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// endOfColumn returns a rank after the last task of the column.
func (w *writer) endOfColumn(incidentID string, status blotter.TaskStatus) (float64, error) {
	var last sql.NullFloat64
	err := w.tx.QueryRowContext(w.ctx, `SELECT max(rank) FROM tasks WHERE incident_id = ? AND status = ?`,
		incidentID, string(status)).Scan(&last)
	return last.Float64 + 1, err
}
