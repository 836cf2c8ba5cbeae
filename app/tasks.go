package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// Tasks lets the frontend run the active incident's task board.
type Tasks struct{ *core }

// TaskInput is a new task, or the fields an edit sets.
type TaskInput struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Assignee    string   `json:"assignee"`
	DueAt       string   `json:"due_at"` // any time the CLI reads, or "" for none
	Status      string   `json:"status"` // the column a new task starts in; "" is To do
	Links       []string `json:"links"`
}

// List returns the active incident's tasks, column by column, each in board order.
func (s *Tasks) List() ([]*blotter.Task, error) {
	ctx := context.Background()
	inc, err := s.active(ctx)
	if err != nil {
		return nil, err
	}
	return s.ws.DB.ListTasks(ctx, sqlite.TaskFilter{IncidentID: inc.ID})
}

// Add puts a task on the active incident's board.
func (s *Tasks) Add(in TaskInput) (*blotter.Task, error) {
	ctx := context.Background()
	inc, author, err := s.activeAs(ctx)
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
	if t.DueAt, err = dueAt(in.DueAt); err != nil {
		return nil, err
	}
	return t, s.ws.DB.AddTask(ctx, t, author)
}

// FromEntry makes a task of a timeline entry ("make a task"): titled by the entry's first
// line and linked to it.
func (s *Tasks) FromEntry(entryID string) (*blotter.Task, error) {
	e, err := s.ws.DB.FindEntry(context.Background(), entryID)
	if err != nil {
		return nil, err
	}
	title := strings.TrimSpace(strings.SplitN(e.Text, "\n", 2)[0])
	if title == "" {
		title = "Follow up on the " + string(e.Kind) + " entry"
	}
	if len(title) > 120 {
		cut := 117
		for !utf8.RuneStart(title[cut]) {
			cut--
		}
		title = title[:cut] + "…"
	}
	return s.Add(TaskInput{Title: title, Links: []string{e.ID}})
}

// Move puts a task in a column at a rank (its order there); reason is what a blocked task
// waits on.
func (s *Tasks) Move(id, status string, rank float64, reason string) (*blotter.Task, error) {
	st, err := blotter.ParseTaskStatus(status)
	if err != nil {
		return nil, err
	}
	return s.change(id, "", func(t *blotter.Task) error {
		t.Status, t.Rank = st, rank
		if st == blotter.TaskBlocked && strings.TrimSpace(reason) != "" {
			t.BlockedReason = strings.TrimSpace(reason)
		}
		return nil
	})
}

// Edit sets a task's title, description, assignee, due time and links.
func (s *Tasks) Edit(id string, in TaskInput) (*blotter.Task, error) {
	due, err := dueAt(in.DueAt)
	if err != nil {
		return nil, err
	}
	return s.change(id, "", func(t *blotter.Task) error {
		t.Title, t.Description, t.Assignee, t.DueAt = strings.TrimSpace(in.Title), in.Description, strings.TrimSpace(in.Assignee), due
		if in.Links != nil {
			t.Links = in.Links
		}
		return nil
	})
}

func (s *Tasks) change(id, reason string, fn func(*blotter.Task) error) (*blotter.Task, error) {
	ctx := context.Background()
	author, err := s.author(ctx)
	if err != nil {
		return nil, err
	}
	return s.ws.DB.UpdateTask(ctx, id, author, reason, fn)
}

// dueAt reads a due time from the view: "" for none, else +2h, 17:00 or a date and time.
func dueAt(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := blotter.ParseDueTime(s, time.Now(), time.Local)
	if err != nil {
		return "", err
	}
	return blotter.FormatTime(t), nil
}
