package recorder

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// NewTask is a task to put on a board.
type NewTask struct {
	IncidentID  string // "" for the active incident
	Title       string
	Description string // Markdown
	Assignee    string
	Due         string // +2h, 17:00 (the next one), a date and time; "" or "none" for no due time
	Status      string // the column it starts in; "" is To do
	Links       []string
}

// AddTask puts a task on the board (a revision, and a task entry on the timeline). Returns
// EINVALID, ENOTFOUND (no such incident, or a linked entry that is not on its timeline).
func (r *Recorder) AddTask(ctx context.Context, in NewTask) (*blotter.Task, error) {
	inc, err := r.Incident(ctx, in.IncidentID)
	if err != nil {
		return nil, err
	}
	t := &blotter.Task{IncidentID: inc.ID, Title: strings.TrimSpace(in.Title), Description: in.Description,
		Assignee: strings.TrimSpace(in.Assignee), Links: in.Links}
	if in.Status != "" {
		if t.Status, err = blotter.ParseTaskStatus(in.Status); err != nil {
			return nil, err
		}
	}
	if t.DueAt, err = r.dueAt(in.Due); err != nil {
		return nil, err
	}
	ch, err := r.localChange(ctx, "")
	if err != nil {
		return nil, err
	}
	return t, r.db.AddTask(ctx, t, ch)
}

// maxTaskFromEntryTitle bounds the title a task made from an entry takes from its first line.
const maxTaskFromEntryTitle = 120

// TaskFromEntry makes a task of a timeline entry ("make a task"), on the entry's incident:
// titled by the entry's first line (cut at 120 bytes) and linked to it. Returns ENOTFOUND.
func (r *Recorder) TaskFromEntry(ctx context.Context, entryID string) (*blotter.Task, error) {
	e, err := r.db.FindEntry(ctx, entryID)
	if err != nil {
		return nil, err
	}
	title := strings.TrimSpace(strings.SplitN(e.Text, "\n", 2)[0])
	if title == "" {
		title = "Follow up on the " + string(e.Kind) + " entry"
	}
	if len(title) > maxTaskFromEntryTitle {
		cut := maxTaskFromEntryTitle - len("…")
		for !utf8.RuneStart(title[cut]) {
			cut--
		}
		title = title[:cut] + "…"
	}
	return r.AddTask(ctx, NewTask{IncidentID: e.IncidentID, Title: title, Links: []string{e.ID}})
}

// MoveTask puts a task in a column; rank is its place there (nil: the end of the column when the
// column changes, else where it is). For Blocked, reason is what the task waits on and
// is required unless the task is blocked already; for the other columns it is why (optional).
// Returns ENOTFOUND, EINVALID.
func (r *Recorder) MoveTask(ctx context.Context, id, column string, rank *float64, reason string) (*blotter.Task, error) {
	status, err := blotter.ParseTaskStatus(column)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	why := reason
	if status == blotter.TaskBlocked {
		why = "" // the reason is what it waits on, kept in the task itself
	}
	return r.changeTask(ctx, id, why, func(t *blotter.Task) error {
		t.Status = status
		if rank != nil {
			t.Rank = *rank
		}
		if status == blotter.TaskBlocked && reason != "" {
			t.BlockedReason = reason
		}
		return nil
	})
}

// AssignTask gives a task to someone ("" unassigns it). Returns ENOTFOUND, EINVALID.
func (r *Recorder) AssignTask(ctx context.Context, id, assignee string) (*blotter.Task, error) {
	return r.changeTask(ctx, id, "", func(t *blotter.Task) error {
		t.Assignee = strings.TrimSpace(assignee)
		return nil
	})
}

// TaskEdit names the task fields an edit sets; nil fields stay as they are.
type TaskEdit struct {
	Title       *string
	Description *string
	Assignee    *string
	Due         *string   // as NewTask.Due; "" or "none" removes the due time
	Links       *[]string // the whole list of linked entries
	AddLinks    []string  // entries to link besides the ones linked already
	Reason      string    // why (optional)
}

// EditTask changes a task's fields. Returns ENOTFOUND, EINVALID (including an edit that changes
// nothing).
func (r *Recorder) EditTask(ctx context.Context, id string, ed TaskEdit) (*blotter.Task, error) {
	var due string
	if ed.Due != nil {
		var err error
		if due, err = r.dueAt(*ed.Due); err != nil {
			return nil, err
		}
	}
	return r.changeTask(ctx, id, ed.Reason, func(t *blotter.Task) error {
		if ed.Title != nil {
			t.Title = strings.TrimSpace(*ed.Title)
		}
		if ed.Description != nil {
			t.Description = *ed.Description
		}
		if ed.Assignee != nil {
			t.Assignee = strings.TrimSpace(*ed.Assignee)
		}
		if ed.Due != nil {
			t.DueAt = due
		}
		if ed.Links != nil {
			t.Links = append([]string{}, *ed.Links...)
		}
		for _, l := range ed.AddLinks {
			if !containsString(t.Links, l) {
				t.Links = append(t.Links, l)
			}
		}
		return nil
	})
}

func (r *Recorder) changeTask(ctx context.Context, id, reason string, fn func(*blotter.Task) error) (*blotter.Task, error) {
	ch, err := r.localChange(ctx, reason)
	if err != nil {
		return nil, err
	}
	return r.db.UpdateTask(ctx, id, ch, fn)
}

// TaskFilter selects tasks of an incident.
type TaskFilter struct {
	IncidentID string // "" for the active incident
	Assignee   string // exact, ignoring case
	Mine       bool   // only the current author's tasks (overrides Assignee)
	Status     string // one column; "" for all
}

// Tasks returns the tasks the filter selects, column by column in board order.
func (r *Recorder) Tasks(ctx context.Context, f TaskFilter) ([]*blotter.Task, error) {
	inc, err := r.Incident(ctx, f.IncidentID)
	if err != nil {
		return nil, err
	}
	sf := sqlite.TaskFilter{IncidentID: inc.ID, Assignee: strings.TrimSpace(f.Assignee)}
	if f.Mine {
		if sf.Assignee, err = r.Author(ctx); err != nil {
			return nil, err
		}
	}
	if f.Status != "" {
		if sf.Status, err = blotter.ParseTaskStatus(f.Status); err != nil {
			return nil, err
		}
	}
	return r.db.ListTasks(ctx, sf)
}

// dueAt reads a due time: "" or "none" for none, else +2h, 17:00 (the next one) or a date and
// time, as the stored form.
func (r *Recorder) dueAt(s string) (string, error) {
	if s = strings.TrimSpace(s); s == "" || strings.EqualFold(s, "none") {
		return "", nil
	}
	t, err := blotter.ParseDueTime(s, r.now(), r.local)
	if err != nil {
		return "", err
	}
	return blotter.FormatTime(t), nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
